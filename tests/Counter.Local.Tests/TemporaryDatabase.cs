namespace Counter.Local.Tests;

/// <summary>A database path in a fresh temporary folder, deleted with the folder on dispose.</summary>
internal sealed class TemporaryDatabase : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("counter-tests-").FullName;

    public string Path => System.IO.Path.Combine(folder, "counters.db");

    public void Dispose()
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A process still closing the file; the OS cleans temp folders.
        }
    }
}
