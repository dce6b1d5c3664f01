namespace ActorKernel.Experiments; internal static class Placeholder {}
