using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Text.Json;
using Samlet.Events;
using Sylvan.Data.Csv;

namespace Samlet.Ingestion;

/// <summary>
/// Turns the rows of a CSV file with a header row into Segment messages for <see cref="EventImporter"/>, which then
/// treats them as it treats JSONL lines. The delimiter (comma, semicolon, tab or bar) is read from the header; quoted
/// fields may hold delimiters, quotes ("") and line breaks.
/// <list type="bullet">
/// <item>Columns named as the spec's fields (<c>type</c>, <c>userId</c>, <c>anonymousId</c>, <c>messageId</c>,
/// <c>event</c>, <c>groupId</c>, <c>previousId</c>, <c>timestamp</c>, <c>sentAt</c>, <c>originalTimestamp</c>; in any
/// case, with or without underscores) are those fields, as text. <c>name</c> and <c>category</c> are fields of page
/// and screen calls and traits or properties of the others.</item>
/// <item><c>traits.x</c>, <c>properties.x</c>, <c>context.x</c> and <c>integrations.x</c> go where they say (more
/// dots nest deeper); any other column is a trait of an identify or group call and a property of the others.</item>
/// <item>An empty cell is left out. A column is JSON numbers when every cell of it that the first 1,000 rows fill is
/// written as one (without leading zeros: "01234" keeps a postcode column text), true/false when every one says so,
/// and text otherwise; a later cell that does not fit its column's type stays text. A header may say the type instead
/// (<c>phone:text</c>, <c>spend:number</c>, <c>vip:boolean</c>); then a cell that does not fit is a problem.</item>
/// <item>A row's type is its <c>type</c> cell, else the type the import was given, else track when the file has an
/// <c>event</c> column and identify when not.</item>
/// </list>
/// </summary>
internal sealed class CsvMessages
{
    private const int MaxNumberLength = 30; // longer digit strings are ids, not quantities
    private const int SampleRows = 1_000;

    private readonly List<Column> _columns;
    private readonly int _typeColumn;
    private readonly EventType _defaultType;
    private readonly Nested[] _nestedAsTraits;
    private readonly Nested[] _nestedAsProperties;
    private readonly Nested[] _nestedOfPages;
    private readonly Kind[] _kinds;

    private CsvMessages(List<Column> columns, Kind[] kinds, EventType? defaultType)
    {
        _columns = columns;
        _kinds = kinds;
        _typeColumn = columns.FindIndex(c => c.Field == "type");
        _defaultType = defaultType ?? (columns.Exists(c => c.Field == "event") ? EventType.Track : EventType.Identify);
        _nestedAsTraits = Layout(columns, "traits", pageFields: false);
        _nestedAsProperties = Layout(columns, "properties", pageFields: false);
        _nestedOfPages = Layout(columns, "properties", pageFields: true);
    }

    /// <summary>
    /// The file's rows as messages, numbered as a spreadsheet numbers them (the header is row 1). A row whose cell
    /// count differs from the header's comes with a problem instead. A file that cannot be read as CSV (no header, a
    /// quote never closed, text that is not UTF-8) throws <see cref="InvalidDataException"/> naming the row.
    /// </summary>
    public static async IAsyncEnumerable<ImportRecord> ReadAsync(Stream stream, EventType? defaultType, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var text = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16, leaveOpen: true);
        // No comment lines: a row that starts with '#' is data. A record may grow to 4 MB (a quote never closed stops there).
        var options = new CsvDataReaderOptions { Comment = '\0', MaxBufferSize = 1 << 22, OwnsReader = false };
        await using var reader = await Readable(() => CsvDataReader.CreateAsync(text, options, cancellationToken), 1);
        var columns = Header([.. Enumerable.Range(0, reader.FieldCount).Select(reader.GetName)]);
        var sample = new List<Row>();
        long row = 1;
        InvalidDataException? broken = null; // within the sample: the rows before it are still messages
        while (sample.Count < SampleRows)
        {
            try
            {
                if (!await Readable(() => reader.ReadAsync(cancellationToken), ++row))
                {
                    break;
                }
            }
            catch (InvalidDataException e)
            {
                broken = e;
                break;
            }

            sample.Add(Row.Of(reader, row, columns.Count));
        }

        var messages = new CsvMessages(columns, KindsFrom(columns, sample), defaultType);
        var buffer = new ArrayBufferWriter<byte>(4096);
        using var writer = new Utf8JsonWriter(buffer, RawJson.WriterOptions);
        foreach (var sampled in sample)
        {
            if (messages.Message(sampled, buffer, writer) is { } record)
            {
                yield return record;
            }
        }

        if (broken is not null)
        {
            ExceptionDispatchInfo.Throw(broken);
        }

        while (await Readable(() => reader.ReadAsync(cancellationToken), ++row))
        {
            if (messages.Message(Row.Of(reader, row, columns.Count), buffer, writer) is { } record)
            {
                yield return record;
            }
        }
    }

    private ImportRecord? Message(Row row, ArrayBufferWriter<byte> buffer, Utf8JsonWriter writer)
    {
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        var problem = Write(row, writer);
        writer.Flush();
        return problem is not null || buffer.WrittenCount > 0 ? new ImportRecord(buffer.WrittenMemory, row.Number, problem) : null;
    }

    /// <summary>Reads on, or says in an <see cref="InvalidDataException"/> why the file cannot be read as CSV from this row on.</summary>
    private static async Task<T> Readable<T>(Func<Task<T>> read, long row)
    {
        try
        {
            return await read();
        }
        catch (DecoderFallbackException e)
        {
            throw new InvalidDataException($"Row {row}: the file is not UTF-8 text (the first byte that is not is in this row or a later one).", e);
        }
        catch (CsvMissingHeadersException e)
        {
            throw new InvalidDataException("Row 1: the file is empty; a header row naming the columns is expected.", e);
        }
        catch (CsvRecordTooLargeException e)
        {
            throw new InvalidDataException($"Row {row}: the row is longer than 4 MB; is a quote never closed?", e);
        }
        catch (CsvFormatException e)
        {
            throw new InvalidDataException($"Row {row}: a quoted cell is not closed, or text follows its closing quote.", e);
        }
    }

    /// <summary>
    /// Writes the row as a message and returns null; writes nothing for an empty row; returns a problem for a ragged row
    /// (written as its raw text) or a time that is not one (written as the message).
    /// </summary>
    private string? Write(Row row, Utf8JsonWriter writer)
    {
        var cells = row.Cells;
        if (Array.TrueForAll(cells, string.IsNullOrWhiteSpace))
        {
            return null; // a blank line, or a row of empty cells as spreadsheets leave them
        }

        if (row.Raw is { } raw)
        {
            writer.WriteStringValue(raw);
            return $"{cells.Length} cells where the header has {_columns.Count}.";
        }

        // Spreadsheets capitalise: "Track" is track. A type that is none is left for the normaliser to refuse.
        var typeCell = _typeColumn >= 0 ? cells[_typeColumn] : "";
        EventType? named = typeCell.Length > 1 && EventTypes.TryParse(typeCell.ToLowerInvariant(), out var parsed) ? parsed : null;
        var type = named ?? _defaultType;
        var pageFields = type is EventType.Page or EventType.Screen;
        writer.WriteStartObject();
        writer.WriteString("type", named is not null || typeCell.Length == 0 ? type.ToWire() : typeCell);
        string? problem = null;
        for (var i = 0; i < _columns.Count; i++)
        {
            if (i != _typeColumn && _columns[i] is { Field: { } field } column && (pageFields || !column.PageField) && cells[i].Length > 0)
            {
                writer.WriteString(field, cells[i]);
                // An imported row is history: timed at the import instead, it would be misdated without a word.
                if (column.Time && !DateTimeOffset.TryParse(cells[i], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
                {
                    problem ??= $"\"{field}\" is not a time: \"{EventNormalizer.Truncate(cells[i])}\" (ISO 8601 is, such as 2025-03-02T10:00:00Z).";
                }
            }
        }

        // The nested objects: the layout lists their cells by path, so each object is opened once.
        var open = new List<string>();
        foreach (var (i, path) in pageFields ? _nestedOfPages : type is EventType.Identify or EventType.Group ? _nestedAsTraits : _nestedAsProperties)
        {
            var cell = cells[i];
            if (cell.Length == 0)
            {
                continue;
            }

            var common = 0;
            while (common < open.Count && common < path.Length - 1 && open[common] == path[common])
            {
                common++;
            }

            for (; open.Count > common; open.RemoveAt(open.Count - 1))
            {
                writer.WriteEndObject();
            }

            for (; open.Count < path.Length - 1; open.Add(path[open.Count]))
            {
                writer.WriteStartObject(path[open.Count]);
            }

            writer.WritePropertyName(path[^1]);
            WriteCell(writer, cell, _kinds[i]);
            if (_columns[i].Declared is { } declared && !Fits(cell, declared))
            {
                problem ??= $"\"{_columns[i].Name}\" is declared {declared.ToString().ToLowerInvariant()}, and \"{EventNormalizer.Truncate(cell)}\" is not.";
            }
        }

        for (; open.Count > 0; open.RemoveAt(open.Count - 1))
        {
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        return problem;
    }

    /// <summary>A cell as its column's type, or as text when it does not fit it.</summary>
    private static void WriteCell(Utf8JsonWriter writer, string cell, Kind kind)
    {
        if (kind == Kind.Text || !Fits(cell, kind))
        {
            writer.WriteStringValue(cell);
        }
        else if (kind == Kind.Number)
        {
            Span<byte> digits = stackalloc byte[MaxNumberLength];
            writer.WriteRawValue(digits[..Encoding.ASCII.GetBytes(cell, digits)], skipInputValidation: true); // exactly as written
        }
        else
        {
            writer.WriteBooleanValue(cell[0] is 't' or 'T');
        }
    }

    /// <summary>
    /// A column is numbers when every cell the sample fills is a JSON number, true/false when every one says so, text
    /// otherwise: one type per column, so that "8000" and "01234" in one postcode column both stay text.
    /// </summary>
    private static Kind[] KindsFrom(List<Column> columns, List<Row> sample)
    {
        var kinds = new Kind[columns.Count];
        for (var i = 0; i < kinds.Length; i++)
        {
            var filled = sample.Where(r => r.Raw is null && r.Cells[i].Length > 0).Select(r => r.Cells[i]).ToList();
            kinds[i] = columns[i].Declared ?? (filled.Count == 0 || columns[i].Field is not null ? Kind.Text
                : filled.TrueForAll(c => IsJsonNumber(c)) ? Kind.Number
                : filled.TrueForAll(IsBoolean) ? Kind.Boolean
                : Kind.Text);
        }

        return kinds;
    }

    private static bool Fits(string cell, Kind kind) => kind switch
    {
        Kind.Number => IsJsonNumber(cell),
        Kind.Boolean => IsBoolean(cell),
        _ => true,
    };

    private static bool IsBoolean(string cell) => cell.Equals("true", StringComparison.OrdinalIgnoreCase) || cell.Equals("false", StringComparison.OrdinalIgnoreCase);

    /// <summary>JSON's number grammar, without leading zeros ("0123" stays text) and at most 30 characters.</summary>
    internal static bool IsJsonNumber(ReadOnlySpan<char> text)
    {
        if (text.Length is 0 or > MaxNumberLength)
        {
            return false;
        }

        var i = text[0] == '-' ? 1 : 0;
        var integerStart = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        var integerDigits = i - integerStart;
        if (integerDigits == 0 || (integerDigits > 1 && text[integerStart] == '0'))
        {
            return false;
        }

        if (i < text.Length && text[i] == '.')
        {
            var fractionStart = ++i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            if (i == fractionStart)
            {
                return false;
            }
        }

        if (i < text.Length && text[i] is 'e' or 'E')
        {
            i++;
            if (i < text.Length && text[i] is '+' or '-')
            {
                i++;
            }

            var exponentStart = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            if (i == exponentStart)
            {
                return false;
            }
        }

        return i == text.Length;
    }

    /// <summary>What each column of the header is. Throws <see cref="InvalidDataException"/> for a column without a name.</summary>
    private static List<Column> Header(List<string> names)
    {
        if (names.Count == 0)
        {
            throw new InvalidDataException("Row 1: the file is empty; a header row naming the columns is expected.");
        }

        var columns = new List<Column>();
        foreach (var raw in names)
        {
            var name = (columns.Count == 0 ? raw.TrimStart('\uFEFF') : raw).Trim(); // a byte-order mark, as spreadsheets write it
            if (name.Length == 0)
            {
                throw new InvalidDataException($"Row 1: column {columns.Count + 1} has no name.");
            }

            // "spend:number", "phone:text": a type said in the header, where the first rows would mislead.
            Kind? declared = null;
            if (name.LastIndexOf(':') is > 0 and var colon && name[(colon + 1)..].Trim().ToLowerInvariant() switch
            {
                "text" => Kind.Text,
                "number" => Kind.Number,
                "boolean" => Kind.Boolean,
                _ => (Kind?)null,
            } is { } kind)
            {
                (name, declared) = (name[..colon].TrimEnd(), kind);
            }

            var field = FieldNamed(name);
            if (field is not null && declared is not null)
            {
                throw new InvalidDataException($"Row 1: \"{raw.Trim()}\" is the call's {field}, whose type is fixed.");
            }

            if (field is not null && columns.Find(c => c.Field == field) is { } twin)
            {
                throw new InvalidDataException($"Row 1: the columns \"{twin.Name}\" and \"{name}\" are the same field ({field}).");
            }

            string[]? path = null;
            if (field is null && name.IndexOf('.') is > 0 and var dot && Prefix(name[..dot]) is { } prefix)
            {
                path = [prefix, .. name[(dot + 1)..].Split('.')];
            }

            columns.Add(new Column(name, field, field is "name" or "category", field is "timestamp" or "sentAt" or "originalTimestamp", path, declared));
        }

        return columns;
    }

    /// <summary>
    /// The cells that go into nested objects, sorted by path, when the other columns go under <paramref name="rest"/>
    /// (and page fields are fields when <paramref name="pageFields"/>). Throws <see cref="InvalidDataException"/> when
    /// two columns land on one path, or one column's value is where another needs an object.
    /// </summary>
    private static Nested[] Layout(List<Column> columns, string rest, bool pageFields)
    {
        var nested = columns.Select((c, i) => (c, i))
            .Where(x => x.c.Field is null || (x.c.PageField && !pageFields))
            .Select(x => new Nested(x.i, x.c.Path ?? [rest, x.c.Name]))
            .OrderBy(n => string.Join('\0', n.Path), StringComparer.Ordinal)
            .ToArray();
        for (var k = 0; k < nested.Length; k++)
        {
            var path = nested[k].Path;
            if (path.Any(string.IsNullOrEmpty))
            {
                throw new InvalidDataException($"Row 1: the column \"{columns[nested[k].Column].Name}\" has an empty part in its path.");
            }

            if (k + 1 < nested.Length && nested[k + 1].Path is var next && next.Length >= path.Length && next.AsSpan(0, path.Length).SequenceEqual(path))
            {
                var (first, second) = (columns[nested[k].Column].Name, columns[nested[k + 1].Column].Name);
                throw new InvalidDataException(next.Length == path.Length
                    ? $"Row 1: the columns \"{first}\" and \"{second}\" are the same field ({string.Join('.', path)})."
                    : $"Row 1: \"{first}\" is a value, and \"{second}\" makes it an object.");
            }
        }

        return nested;
    }

    private static readonly string[] _prefixes = ["context", "integrations", "properties", "traits"];

    private static string? Prefix(string name) => _prefixes.FirstOrDefault(p => p.Equals(name, StringComparison.OrdinalIgnoreCase));

    private static readonly string[] _fields = ["type", "userId", "anonymousId", "messageId", "event", "name", "category", "groupId", "previousId", "timestamp", "sentAt", "originalTimestamp"];

    private static string? FieldNamed(string name)
    {
        var folded = name.Replace("_", "", StringComparison.Ordinal);
        return _fields.FirstOrDefault(f => f.Equals(folded, StringComparison.OrdinalIgnoreCase));
    }

    private enum Kind { Text, Number, Boolean }

    /// <summary>One row's cells, and its raw text when its cell count differs from the header's.</summary>
    private sealed record Row(long Number, string[] Cells, string? Raw)
    {
        public static Row Of(CsvDataReader reader, long number, int columns)
        {
            var cells = new string[reader.RowFieldCount];
            for (var i = 0; i < cells.Length; i++)
            {
                cells[i] = reader.GetString(i);
            }

            return new Row(number, cells, cells.Length == columns ? null : reader.GetRawRecordSpan().TrimEnd("\r\n").ToString());
        }
    }

    /// <summary>A cell that goes into a nested object, and where.</summary>
    private readonly record struct Nested(int Column, string[] Path);

    /// <param name="Name">The header's name, trimmed.</param>
    /// <param name="Field">The message field the column is, if it is one.</param>
    /// <param name="PageField"><c>name</c> or <c>category</c>: a field of page and screen calls only.</param>
    /// <param name="Time">One of the call's times, which must read as one.</param>
    /// <param name="Path">Where a prefixed column goes (<c>["context", "device", "id"]</c>); null for the others.</param>
    /// <param name="Declared">The type the header gives it (<c>spend:number</c>): its cells must have it.</param>
    private sealed record Column(string Name, string? Field, bool PageField, bool Time, string[]? Path, Kind? Declared);
}

/// <summary>One message of an import file with its line or row number, or the problem that kept it from being one.</summary>
public readonly record struct ImportRecord(ReadOnlyMemory<byte> Json, long Number, string? Problem);
