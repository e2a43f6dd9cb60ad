using System.Collections.Concurrent;

namespace TorchEnv.Training.Data;

/// <summary>A single-producer, single-consumer queue of fixed capacity whose waits end on cancellation.</summary>
internal sealed class BoundedQueue<T>(int capacity)
{
    private readonly BlockingCollection<T> _items = new(new ConcurrentQueue<T>(), capacity);

    /// <summary>Adds, waiting for room; false (item not added) when <paramref name="token"/> is cancelled first.</summary>
    public bool TryAdd(T item, CancellationToken token)
    {
        try
        {
            _items.Add(item, token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Takes the oldest item, waiting for one; throws <see cref="OperationCanceledException"/> when cancelled first.</summary>
    public T Take(CancellationToken token) => _items.Take(token);

    /// <summary>Removes and returns whatever is left (after the producer stopped).</summary>
    public IEnumerable<T> Drain()
    {
        var left = new List<T>();
        while (_items.TryTake(out var item))
        {
            left.Add(item);
        }

        return left;
    }
}
