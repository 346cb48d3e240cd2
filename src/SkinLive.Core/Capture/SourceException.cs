namespace SkinLive.Capture;

/// <summary>A source cannot be opened or started; the message is one sentence for the user.</summary>
public sealed class SourceException(string message, Exception? inner = null) : Exception(message, inner);
