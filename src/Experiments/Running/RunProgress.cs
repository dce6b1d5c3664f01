namespace ActorKernel.Experiments.Running;

/// <summary>Progress of an experiment: runs finished out of the total, and events simulated so far.</summary>
public readonly record struct RunProgress(int Done, int Total, long Events);
