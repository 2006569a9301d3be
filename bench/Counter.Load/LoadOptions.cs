using System.Globalization;

namespace Counter.Load;

/// <summary>How counting is done: through the API's atomic increment, or the tutorial's read-then-write.</summary>
internal enum CountingMode
{
    Atomic,
    Naive,
}

/// <summary>What one load run does, as parsed from the command line.</summary>
internal sealed class LoadOptions
{
    public const string Usage = """
        counter-load: drives increments at a Counter host or store and checks that none was lost or doubled.

        Usage:
          counter-load --url http://127.0.0.1:5080 [options]     against a running HTTP host
          counter-load --store memory|sqlite|dynamodb|tables|firestore [--database FILE] [--endpoint URL] [options]
              --database FILE       the SQLite file (default: a new temporary file, deleted afterwards)
              --durability D        SQLite: ProcessCrash (default, synchronous=NORMAL) or PowerLoss (FULL)
              --endpoint URL        the emulator: dynamodb http://127.0.0.1:8000 (the table is created when missing),
                                    firestore http://127.0.0.1:8080 (project counter-bench),
                                    tables http://127.0.0.1:10002 (Azurite's development account)
          counter-load cold-start --url URL [--runs N] [--fresh-file FILE] -- COMMAND [ARGS...]

        Options:
          --concurrency N   increments in flight at once (default 16)
          --duration S      seconds of measured load (default 5)
          --warmup S        seconds of unmeasured load first (default 1); still counted by the exactness check
          --counters N      spread the load over N counters instead of one hot counter (default 1)
          --name NAME       counter name, or the prefix of the N names (default: a fresh name per run)
          --naive           count the tutorial's way: read the value, add one, write it back
          --final-wait S    keep retrying the final read for up to S seconds (default 0), for runs that
                            restart the host on purpose, as the crash check in bench/run.sh does
          --json FILE       also write the report as JSON
          --quiet           no progress display

        Exit code: 0 when every acknowledged increment is counted exactly once, 1 when one was lost or
        doubled, 2 for a usage error, 3 when the target cannot be reached.
        """;

    public Uri? Url { get; private set; }

    public string? Store { get; private set; }

    public string? Database { get; private set; }

    public Uri? Endpoint { get; private set; }

    public string Durability { get; private set; } = "ProcessCrash";

    public int Concurrency { get; private set; } = 16;

    public TimeSpan Duration { get; private set; } = TimeSpan.FromSeconds(5);

    public TimeSpan Warmup { get; private set; } = TimeSpan.FromSeconds(1);

    public int Counters { get; private set; } = 1;

    public string Name { get; private set; } =
        "load-" + Guid.NewGuid().ToString("N")[..12];

    public CountingMode Mode { get; private set; } = CountingMode.Atomic;

    public TimeSpan FinalWait { get; private set; }

    public string? JsonPath { get; private set; }

    public bool Quiet { get; private set; }

    /// <summary>Gets the counter names the run spreads its increments over.</summary>
    public IReadOnlyList<string> CounterNames =>
        Counters == 1 ? [Name] : [.. Enumerable.Range(0, Counters).Select(i => $"{Name}-{i}")];

    /// <summary>Parses the arguments of a load run.</summary>
    /// <exception cref="UsageException">An argument is missing, unknown or out of range.</exception>
    public static LoadOptions Parse(IReadOnlyList<string> args)
    {
        var options = new LoadOptions();
        var reader = new ArgumentReader(args);
        while (reader.Next() is { } arg)
        {
            switch (arg)
            {
                case "--url":
                    options.Url = reader.Uri(arg);
                    break;
                case "--store":
                    options.Store = reader.Value(arg).ToLowerInvariant();
                    break;
                case "--database":
                    options.Database = reader.Value(arg);
                    break;
                case "--durability":
                    options.Durability = reader.Value(arg);
                    break;
                case "--endpoint":
                    options.Endpoint = reader.Uri(arg);
                    break;
                case "--concurrency":
                    options.Concurrency = reader.Int(arg, 1, 4096);
                    break;
                case "--duration":
                    options.Duration = reader.Seconds(arg, allowZero: false);
                    break;
                case "--warmup":
                    options.Warmup = reader.Seconds(arg, allowZero: true);
                    break;
                case "--counters":
                    options.Counters = reader.Int(arg, 1, 1_000_000);
                    break;
                case "--name":
                    options.Name = reader.Value(arg);
                    break;
                case "--naive":
                    options.Mode = CountingMode.Naive;
                    break;
                case "--final-wait":
                    options.FinalWait = reader.Seconds(arg, allowZero: true);
                    break;
                case "--json":
                    options.JsonPath = reader.Value(arg);
                    break;
                case "--quiet":
                    options.Quiet = true;
                    break;
                default:
                    throw new UsageException($"Unknown argument '{arg}'.");
            }
        }

        if ((options.Url is null) == (options.Store is null))
        {
            throw new UsageException("Give exactly one target: --url of a running host, or --store.");
        }

        return options;
    }
}

/// <summary>The command line was wrong; the message says how.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>Walks the arguments, converting option values with messages that name the option.</summary>
internal sealed class ArgumentReader(IReadOnlyList<string> args)
{
    private int index;

    public string? Next() => index < args.Count ? args[index++] : null;

    public IReadOnlyList<string> Rest()
    {
        var rest = args.Skip(index).ToArray();
        index = args.Count;
        return rest;
    }

    public string Value(string option) =>
        Next() ?? throw new UsageException($"{option} needs a value.");

    public Uri Uri(string option)
    {
        var text = Value(option);
        return System.Uri.TryCreate(text.TrimEnd('/'), UriKind.Absolute, out var uri)
            ? uri
            : throw new UsageException($"{option} needs an absolute URL such as http://127.0.0.1:5080 (got '{text}').");
    }

    public int Int(string option, int min, int max)
    {
        var text = Value(option);
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new UsageException($"{option} needs a whole number from {min} to {max} (got '{text}').");
    }

    public TimeSpan Seconds(string option, bool allowZero)
    {
        var text = Value(option).TrimEnd('s');
        var valid = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            && seconds <= 3600 && (allowZero ? seconds >= 0 : seconds > 0);
        return valid
            ? TimeSpan.FromSeconds(seconds)
            : throw new UsageException($"{option} needs a number of seconds up to 3600 (got '{text}').");
    }
}
