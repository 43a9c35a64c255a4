using System.Security.Cryptography;
using System.Text;

namespace Samlet.Sources;

/// <summary>Generates and hashes keys and ids. Keys are 192-bit random strings, so one SHA-256 is enough to store them safely.</summary>
public static class Secrets
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    public static string NewKey(string prefix) => prefix + RandomNumberGenerator.GetString(Alphabet, 32);

    public static string NewId(string prefix) => prefix + RandomNumberGenerator.GetString(Alphabet, 16);

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
