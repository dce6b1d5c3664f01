using System.Runtime.Serialization;
using System.Text.Json;
using Akka.Actor;
using Akka.Serialization;

namespace ActorKernel.Cluster;

/// <summary>
/// Serializes <see cref="IProtocolMessage"/>s as JSON with a fixed manifest per type. Only the
/// types listed here can be deserialized: a manifest names one of them or the message is
/// rejected, so nothing from the wire chooses a .NET type to instantiate (unlike a
/// type-name-handling JSON serializer).
/// </summary>
public sealed class ProtocolSerializer : SerializerWithStringManifest
{
    private static readonly IReadOnlyDictionary<string, Type> Types = new Dictionary<string, Type>(StringComparer.Ordinal)
    {
        ["hello"] = typeof(Hello),
        ["challenge"] = typeof(Challenge),
        ["answer"] = typeof(Answer),
        ["denied"] = typeof(Denied),
        ["offer"] = typeof(Offer),
        ["refuse"] = typeof(Refuse),
        ["pull"] = typeof(Pull),
        ["assign"] = typeof(Assign),
        ["finished"] = typeof(Finished),
        ["goodbye"] = typeof(Goodbye),
    };

    private static readonly IReadOnlyDictionary<Type, string> Manifests = Types.ToDictionary(kv => kv.Value, kv => kv.Key);

    public ProtocolSerializer(ExtendedActorSystem system)
        : base(system)
    {
    }

    /// <summary>A fixed identifier, outside Akka's reserved range (0–100).</summary>
    public override int Identifier => 7301;

    public override string Manifest(object o) =>
        Manifests.TryGetValue(o.GetType(), out var m) ? m : throw new ArgumentException($"{o.GetType()} is not an ActorKernel protocol message");

    public override byte[] ToBinary(object obj) => JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType());

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (!Types.TryGetValue(manifest, out var type))
            throw new SerializationException($"unknown ActorKernel protocol message '{manifest}'");
        var message = JsonSerializer.Deserialize(bytes, type) ?? throw new SerializationException($"empty ActorKernel protocol message '{manifest}'");
        // Actors may rely on every field being there: a peer that leaves one out is dropped here.
        foreach (var p in type.GetProperties())
            if (p.GetValue(message) is null && !(type == typeof(Offer) && p.Name == nameof(Offer.Text)))
                throw new SerializationException($"ActorKernel protocol message '{manifest}' is missing {p.Name}");
        return message;
    }
}
