using System.Collections;
using Microsoft.Build.Framework;

namespace TorchEnv.Sdk.Tasks.IO;

/// <summary>Reading MSBuild items.</summary>
internal static class TaskItems
{
    /// <summary>The item's custom metadata (not MSBuild's well-known ones), ordered by name.</summary>
    public static List<KeyValuePair<string, string>> CustomMetadata(ITaskItem item)
    {
        // The dictionary's enumerator differs between MSBuild versions (DictionaryEntry vs KeyValuePair); its keys do not.
        var metadata = item.CloneCustomMetadata();
        return metadata.Keys.Cast<object>()
            .Select(key => new KeyValuePair<string, string>((string)key, metadata[key] as string ?? ""))
            .OrderBy(e => e.Key, StringComparer.Ordinal)
            .ToList();
    }
}
