using ActorKernel.Configuration;

namespace ActorKernel.Experiments.Journal;

/// <summary>
/// A user-facing problem with an output folder or its journal: resuming a folder of another
/// experiment, starting afresh over an unfinished sweep, a damaged runs.jsonl. One line; the
/// CLI prints it and exits with status 2.
/// </summary>
public sealed class JournalError(string message) : UserError(message);
