using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Counter.Aws.Tests;

/// <summary>Creates tables the way template.yaml does: one string partition key, on-demand, TTL on the expiry attribute.</summary>
public static class DynamoDbTestTables
{
    public static async Task CreateAsync(IAmazonDynamoDB client, DynamoDbCounterStoreOptions options, bool enableTimeToLive)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);

        await client.CreateTableAsync(new CreateTableRequest
        {
            TableName = options.TableName,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new AttributeDefinition(options.KeyAttributeName, ScalarAttributeType.S)],
            KeySchema = [new KeySchemaElement(options.KeyAttributeName, KeyType.HASH)],
        }).ConfigureAwait(false);

        // Emulators create tables at once; AWS takes seconds to a minute.
        for (var i = 0; i < 600; i++)
        {
            var table = await client.DescribeTableAsync(options.TableName).ConfigureAwait(false);
            if (table.Table.TableStatus == TableStatus.ACTIVE)
            {
                break;
            }

            await Task.Delay(200).ConfigureAwait(false);
        }

        if (enableTimeToLive)
        {
            await client.UpdateTimeToLiveAsync(new UpdateTimeToLiveRequest
            {
                TableName = options.TableName,
                TimeToLiveSpecification = new TimeToLiveSpecification { AttributeName = options.ExpiresAtAttributeName, Enabled = true },
            }).ConfigureAwait(false);
        }
    }
}
