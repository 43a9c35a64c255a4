using System.Buffers;
using System.IO.Compression;

namespace Samlet.Server.Tracking;

/// <summary>
/// Reads a request body into memory, decompressing <c>Content-Encoding: gzip</c>/<c>deflate</c>/<c>br</c> on the way
/// and stopping as soon as the decompressed size passes the cap, so a gzip bomb costs at most the cap.
/// </summary>
internal static class RequestBody
{
    public static async Task<BodyRead> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        Stream source = request.Body;
        var encoding = request.Headers.ContentEncoding.ToString().Trim().ToLowerInvariant();
        switch (encoding)
        {
            case "" or "identity": break;
            case "gzip" or "x-gzip": source = new GZipStream(source, CompressionMode.Decompress, leaveOpen: true); break;
            case "deflate": source = new ZLibStream(source, CompressionMode.Decompress, leaveOpen: true); break;
            case "br": source = new BrotliStream(source, CompressionMode.Decompress, leaveOpen: true); break;
            default: return BodyRead.Failed(415, $"Unsupported Content-Encoding \"{encoding}\".");
        }

        var buffer = ArrayPool<byte>.Shared.Rent(request.ContentLength is > 0 and var length && length <= maxBytes && encoding.Length == 0 ? (int)length : 16 * 1024);
        var total = 0;
        try
        {
            while (true)
            {
                if (total == buffer.Length)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, maxBytes + 1));
                    buffer.AsSpan(0, total).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var read = await source.ReadAsync(buffer.AsMemory(total), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                total += read;
                if (total > maxBytes)
                {
                    break;
                }
            }
        }
        catch (InvalidDataException)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return BodyRead.Failed(400, $"The body is not valid {encoding} data.");
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return BodyRead.Failed(413, $"The body is larger than {maxBytes} bytes.");
        }
        catch (Exception e) when (e is BadHttpRequestException or IOException)
        {
            // A truncated body or a client that went away: the client's fault, not the store's.
            ArrayPool<byte>.Shared.Return(buffer);
            return BodyRead.Failed(400, "The request body could not be read completely.");
        }
        finally
        {
            if (!ReferenceEquals(source, request.Body))
            {
                await source.DisposeAsync();
            }
        }

        if (total > maxBytes)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return BodyRead.Failed(413, $"The body is larger than {maxBytes} bytes once decompressed.");
        }

        return new BodyRead(buffer, total, 0, null);
    }
}

/// <summary>A body read into a pooled buffer (return it with <see cref="Dispose"/>), or why it could not be read.</summary>
internal readonly record struct BodyRead(byte[]? Buffer, int Length, int Status, string? Error) : IDisposable
{
    public ReadOnlyMemory<byte> Memory => Buffer.AsMemory(0, Length);

    public static BodyRead Failed(int status, string error) => new(null, 0, status, error);

    public void Dispose()
    {
        if (Buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(Buffer);
        }
    }
}
