using System.Buffers;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Samlet.Storage.Sqlite;

/// <summary>A prepared SQLite statement used through SQLitePCL directly, for hot loops of point lookups and inserts.</summary>
internal sealed class RawStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    public RawStatement(sqlite3 db, string sql)
    {
        _db = db;
        SqliteEventLog.Check(raw.sqlite3_prepare_v2(db, sql, out _statement), db);
    }

    /// <summary>Binds UTF-8 text (SQLite copies it).</summary>
    public RawStatement Utf8(int index, ReadOnlySpan<byte> value)
    {
        raw.sqlite3_bind_text(_statement, index, value);
        return this;
    }

    /// <summary>
    /// Binds a string (or null) encoded on the stack or in a pooled array: SQLitePCL's string overload allocates a new
    /// byte array for every value, and SQLite copies the text anyway.
    /// </summary>
    internal static int BindText(sqlite3_stmt statement, int index, string? value)
    {
        if (value is null)
        {
            return raw.sqlite3_bind_null(statement, index);
        }

        var most = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (most <= 512)
        {
            Span<byte> buffer = stackalloc byte[most];
            return raw.sqlite3_bind_text(statement, index, buffer[..Encoding.UTF8.GetBytes(value, buffer)]);
        }

        var rented = ArrayPool<byte>.Shared.Rent(most);
        try
        {
            return raw.sqlite3_bind_text(statement, index, rented.AsSpan(0, Encoding.UTF8.GetBytes(value, rented)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public RawStatement Bind(int index, string? value)
    {
        BindText(_statement, index, value);
        return this;
    }

    public RawStatement Bind(int index, long? value)
    {
        _ = value is { } number ? raw.sqlite3_bind_int64(_statement, index, number) : raw.sqlite3_bind_null(_statement, index);
        return this;
    }

    /// <summary>Binds a text, an integer or null.</summary>
    public RawStatement Bind(int index, object? value)
    {
        _ = value switch
        {
            null or DBNull => raw.sqlite3_bind_null(_statement, index),
            string text => BindText(_statement, index, text),
            long number => raw.sqlite3_bind_int64(_statement, index, number),
            int number => raw.sqlite3_bind_int64(_statement, index, number),
            _ => throw new ArgumentException($"Cannot bind a {value.GetType().Name}.", nameof(value)),
        };
        return this;
    }

    /// <summary>Binds a command's parameters by name.</summary>
    public RawStatement BindAll(SqliteParameterCollection parameters)
    {
        foreach (SqliteParameter parameter in parameters)
        {
            Bind(IndexOf(parameter.ParameterName), parameter.Value);
        }

        return this;
    }

    /// <summary>Steps once: true when a row is available.</summary>
    public bool Step()
    {
        var rc = raw.sqlite3_step(_statement);
        if (rc == raw.SQLITE_ROW)
        {
            return true;
        }

        SqliteEventLog.Check(rc, _db);
        return false;
    }

    public void Reset() => raw.sqlite3_reset(_statement);

    /// <summary>Steps a statement that returns no rows and resets it; returns the rows it changed.</summary>
    public int Run()
    {
        Step();
        Reset();
        return raw.sqlite3_changes(_db);
    }

    /// <summary>The index of the parameter named <paramref name="name"/> (0 when there is none).</summary>
    public int IndexOf(string name) => raw.sqlite3_bind_parameter_index(_statement, name);

    public string GetText(int column) => raw.sqlite3_column_text(_statement, column).utf8_to_string();

    public string? GetTextOrNull(int column) => IsNull(column) ? null : GetText(column);

    public byte[] GetBlob(int column) => raw.sqlite3_column_blob(_statement, column).ToArray();

    public long GetInt64(int column) => raw.sqlite3_column_int64(_statement, column);

    public bool IsNull(int column) => raw.sqlite3_column_type(_statement, column) == raw.SQLITE_NULL;

    public void Dispose() => raw.sqlite3_finalize(_statement);
}
