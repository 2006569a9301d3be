using System.Globalization;
using Amazon.DynamoDBv2.Model;

namespace Counter.Aws.Internal;

/// <summary>Converts between Int64 and DynamoDB's decimal number attributes.</summary>
internal static class DynamoDbNumbers
{
    public static AttributeValue ToAttribute(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    public static AttributeValue ToAttribute(string value) => new() { S = value };

    /// <summary>Reads a number attribute; a missing one is absent (<see langword="null"/>).</summary>
    /// <exception cref="InvalidDataException">The attribute is not an integer within Int64, which the store never writes.</exception>
    public static long? Read(Dictionary<string, AttributeValue>? item, string attribute)
    {
        if (item is null || !item.TryGetValue(attribute, out var value) || value.N is null)
        {
            return null;
        }

        // DynamoDB may answer a whole number in exponent form; decimal parses both without losing a unit.
        if (long.TryParse(value.N, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var exact))
        {
            return exact;
        }

        if (decimal.TryParse(value.N, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            && number == decimal.Truncate(number) && number is >= long.MinValue and <= long.MaxValue)
        {
            return (long)number;
        }

        throw new InvalidDataException($"The attribute '{attribute}' holds {value.N}, which is not a 64-bit integer.");
    }
}
