using Akka.Configuration;

namespace ActorKernel.Cluster;

/// <summary>
/// The Akka configuration of a coordinator or worker node: the cluster provider, remoting bound
/// to the given address only, the protocol serializer, and lost workers downed by the coordinator.
/// </summary>
public static class ClusterConfig
{
    /// <summary>The actor system name every node of an ActorKernel cluster uses.</summary>
    public const string SystemName = "actorkernel-cluster";

    public const string CoordinatorRole = "coordinator";
    public const string WorkerRole = "worker";

    /// <summary>The coordinator actor's path on the coordinator node.</summary>
    public const string CoordinatorPath = "/user/coordinator";

    /// <param name="listen">Where this node accepts connections (it joins the cluster in code: the coordinator itself, a worker the coordinator).</param>
    /// <param name="role">coordinator or worker.</param>
    /// <param name="tls">Whether the node's connections use TLS (the certificate comes with <see cref="ClusterTls"/>).</param>
    public static Config For(Endpoint listen, string role, bool tls = false) => ConfigurationFactory.ParseString($$"""
        akka {
          # Joins, losses and refusals are reported by ActorKernel itself (ClusterNotice); Akka's own
          # error log would add a "Disassociated" line for every worker that leaves or dies.
          loglevel = OFF
          stdout-loglevel = OFF
          log-dead-letters = off
          log-dead-letters-during-shutdown = off
          actor {
            provider = cluster
            serializers {
              actorkernel-protocol = "ActorKernel.Cluster.ProtocolSerializer, ActorKernel.Cluster"
            }
            serialization-bindings {
              "ActorKernel.Cluster.IProtocolMessage, ActorKernel.Cluster" = actorkernel-protocol
            }
          }
          remote {
            log-remote-lifecycle-events = off
            dot-netty.tcp {
              hostname = "{{listen.Host}}"
              port = {{listen.Port}}
              # A run's journal line is ~2 KB (fork-exec) to ~40 KB (a 90 s numa-idle timeline);
              # the default frame limit (128 kB) would refuse a long timeline.
              maximum-frame-size = 4 MiB
              # Akka's default (on except on Windows) lets .NET set SO_REUSEPORT on Linux: a second
              # coordinator on the same port then "listened" too, and workers reached either one.
              tcp-reuse-addr = off
              # --tls-cert: the certificate and the peer check come from ClusterTls (DotNettySslSetup).
              enable-ssl = {{(tls ? "on" : "off")}}
            }
          }
          cluster {
            roles = [{{role}}]
            log-info = off
            # The coordinator downs a worker it lost (and re-issues its runs); no split-brain
            # resolver is needed for a star of workers around one coordinator.
            downing-provider-class = ""
            failure-detector.acceptable-heartbeat-pause = 4s
            retry-unsuccessful-join-after = 2s
          }
          coordinated-shutdown {
            exit-clr = off
            # ActorKernel handles SIGINT and SIGTERM itself (StopSignals: finish, write, exit 130). Akka's
            # own hook ran first on a worker: it stopped the node, and the worker exited 1 as if its
            # coordinator had been lost.
            run-by-clr-shutdown-hook = off
          }
        }
        """);
}
