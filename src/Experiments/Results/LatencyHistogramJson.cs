using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json;
using HdrHistogram;
using HdrHistogram.Encoding;
using HdrHistogram.Utilities;

namespace ActorKernel.Experiments.Results;

/// <summary>
/// A run's probe-latency histogram in a run record: HdrHistogram's own compressed V2 encoding (the
/// one its log formats use; it carries the lowest, highest and significant digits), in base64, with
/// the total count beside it so a histogram that does not decode to the same counts fails loudly.
/// </summary>
internal static class LatencyHistogramJson
{
    // HdrHistogram's compressed V2 cookie (CompressedEncodingCookieBaseV2 | 0x10; not public in 2.5.0).
    private const int CompressedV2Cookie = 0x1c849314;

    // The cookie and the length of what follows (big-endian int32 each), then an RFC 1950 header before the deflate data.
    private const int CompressedHeaderBytes = 8;
    private const int Rfc1950HeaderBytes = 2;

    [ThreadStatic]
    private static ByteBuffer? _raw;

    public static void Write(Utf8JsonWriter w, string name, LongHistogram? histogram)
    {
        if (histogram is null)
        {
            w.WriteNull(name);
            return;
        }
        w.WriteStartObject(name);
        w.WriteNumber("totalCount", histogram.TotalCount);
        w.WriteBase64String("v2Compressed", Encode(histogram));
        w.WriteEndObject();
    }

    public static LongHistogram? Read(JsonFields parent, string name)
    {
        if (parent.NullableObject(name) is not { } f) return null;
        var totalCount = f.Long("totalCount");
        var histogram = Decode(f.Base64("v2Compressed"), $"{f.Path}.v2Compressed");
        if (histogram.TotalCount != totalCount)
            throw new FormatException($"{f.Path} decodes to {histogram.TotalCount} values, its totalCount says {totalCount}");
        return histogram;
    }

    // The library's compressed V2 format (cookie, length, zlib data of the uncompressed V2 encoding),
    // built here from the library's own uncompressed encoding: EncodeIntoCompressedByteBuffer deflates
    // its whole buffer (GetNeededByteBufferCapacity(), ~270 KB for the metrics' range, mostly an empty
    // tail), which cost milliseconds per run; only the bytes the encoding used are compressed here.
    // The library's decoder reads the result as its own.
    private static byte[] Encode(LongHistogram histogram)
    {
        // The needed capacity is the whole range's (~270 KB, a large-object allocation per run that
        // showed up as GC pauses with several lanes); one buffer per thread is reused instead.
        var needed = histogram.GetNeededByteBufferCapacity();
        if (_raw is null || _raw.Capacity() < needed) _raw = ByteBuffer.Allocate(needed);
        var raw = _raw;
        raw.Position = 0;
        var used = histogram.Encode(raw, HistogramEncoderV2.Instance);
        raw.Position = 0;
        var uncompressed = new byte[used];
        for (var i = 0; i < used; i++) uncompressed[i] = raw.Get();
        using var output = new MemoryStream();
        output.Write(stackalloc byte[CompressedHeaderBytes]);
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
            zlib.Write(uncompressed);
        var bytes = output.ToArray();
        BinaryPrimitives.WriteInt32BigEndian(bytes, CompressedV2Cookie);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), bytes.Length - CompressedHeaderBytes);
        return bytes;
    }

    private static LongHistogram Decode(byte[] bytes, string path)
    {
        if (bytes.Length < CompressedHeaderBytes + Rfc1950HeaderBytes
            || BinaryPrimitives.ReadInt32BigEndian(bytes) != CompressedV2Cookie
            || BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4)) != bytes.Length - CompressedHeaderBytes)
            throw new FormatException($"{path} is not one HdrHistogram compressed V2 encoding");
        HistogramBase histogram;
        try
        {
            histogram = HistogramEncoding.DecodeFromByteBuffer(ByteBuffer.Allocate(Inflate(bytes)), minBarForHighestTrackableValue: 0);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or InvalidDataException or IndexOutOfRangeException)
        {
            throw new FormatException($"{path} does not decode: {e.Message}", e);
        }
        return histogram as LongHistogram ?? throw new FormatException($"{path} decodes to a {histogram.GetType().Name}, not a LongHistogram");
    }

    // HdrHistogram 2.5.0's DecodeFromCompressedByteBuffer inflates the counts with a single Stream.Read,
    // and DeflateStream (.NET 6+) may return fewer bytes than asked: a histogram of some thousands of
    // distinct values then fails with "does not contain the indicated payload amount". So inflate here,
    // to the end, and hand the library its own uncompressed V2 encoding.
    private static byte[] Inflate(byte[] bytes)
    {
        const int deflateStart = CompressedHeaderBytes + Rfc1950HeaderBytes;
        using var input = new MemoryStream(bytes, deflateStart, bytes.Length - deflateStart);
        using var inflater = new DeflateStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        inflater.CopyTo(output);
        return output.ToArray();
    }
}
