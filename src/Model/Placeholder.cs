namespace ActorKernel.Model; internal static class Placeholder {}
