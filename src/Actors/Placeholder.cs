namespace ActorKernel.Actors; internal static class Placeholder {}
