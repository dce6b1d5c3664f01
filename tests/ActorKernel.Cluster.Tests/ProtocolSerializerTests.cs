using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Configuration;

namespace ActorKernel.Cluster.Tests;

/// <summary>The protocol's wire format: every message round-trips; nothing outside the closed list is accepted.</summary>
public sealed class ProtocolSerializerTests : Akka.TestKit.Xunit2.TestKit
{
    public ProtocolSerializerTests()
        : base(ClusterConfig.For(new Endpoint("127.0.0.1", 0), ClusterConfig.WorkerRole).WithFallback(ConfigurationFactory.Default()))
    {
    }

    public static TheoryData<IProtocolMessage> Messages() => new()
    {
        new Hello("1.0.0+abc", 3, "00ff"),
        new Challenge("ff00", SecretRequired: true),
        new Answer("ABCDEF"),
        new Denied("its cluster secret differs from the coordinator's"),
        new Offer("1.0.0+abc", "ff00", "fork-exec", 7, 24, "config/experiments/fork-exec.conf", "experiment { name = x }", ["workload.fork-exec.execs=3"]),
        new Offer("1.0.0+abc", "ff00", "fork-exec", 7, 24, "built in", null, [], Proof: "0123"),
        new Refuse("version 1 ≠ 2"),
        new Pull("ff00", 2),
        new Assign("ff00", 17),
        new Finished("ff00", 17, "{\"schema\":\"actorkernel/run-record/v1\"}"),
        new Goodbye("sweep complete"),
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void EveryMessage_IsBoundToTheProtocolSerializer_AndRoundTrips(IProtocolMessage message)
    {
        var serializer = Sys.Serialization.FindSerializerFor(message);
        Assert.IsType<ProtocolSerializer>(serializer);
        var s = (ProtocolSerializer)serializer;
        var back = s.FromBinary(s.ToBinary(message), s.Manifest(message));
        // Records compare by value; the list inside Offer is compared by its items.
        if (message is Offer o)
        {
            var b = Assert.IsType<Offer>(back);
            Assert.Equal(o with { Overrides = [] }, b with { Overrides = [] });
            Assert.Equal(o.Overrides, b.Overrides);
        }
        else
        {
            Assert.Equal(message, back);
        }
    }

    [Fact]
    public void UnknownManifest_IsRejected_NoTypeIsChosenByTheWire()
    {
        var s = new ProtocolSerializer((ExtendedActorSystem)Sys);
        var e = Assert.Throws<SerializationException>(() => s.FromBinary("{}"u8.ToArray(), "System.Diagnostics.Process, System"));
        Assert.Contains("unknown ActorKernel protocol message", e.Message);
    }

    [Theory]
    [InlineData("answer", "{}")]
    [InlineData("hello", "{\"Version\":\"1\",\"Slots\":1}")]
    [InlineData("finished", "{\"ConfigSha256\":\"ff\",\"Run\":1,\"Line\":null}")]
    [InlineData("offer", "{\"Version\":\"1\",\"ConfigSha256\":\"ff\",\"Experiment\":\"x\",\"Seed\":1,\"Runs\":1,\"DisplayName\":\"x\",\"Text\":null,\"Overrides\":null}")]
    public void AMessageWithAMissingField_IsRejected_BeforeAnActorSeesANull(string manifest, string json)
    {
        var s = new ProtocolSerializer((ExtendedActorSystem)Sys);
        var e = Assert.Throws<SerializationException>(() => s.FromBinary(System.Text.Encoding.UTF8.GetBytes(json), manifest));
        Assert.Contains("missing", e.Message);
    }

    [Fact]
    public void OfferWithoutText_IsTheBuiltInExperiment_AndAccepted()
    {
        var s = new ProtocolSerializer((ExtendedActorSystem)Sys);
        var o = new Offer("1", "ff", "x", 1, 1, "built in", null, []);
        Assert.Null(Assert.IsType<Offer>(s.FromBinary(s.ToBinary(o), "offer")).Text);
    }

    [Fact]
    public void OtherTypes_HaveNoManifest()
    {
        var s = new ProtocolSerializer((ExtendedActorSystem)Sys);
        Assert.Throws<ArgumentException>(() => s.Manifest("a string"));
    }
}
