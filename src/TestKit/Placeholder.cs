namespace ActorKernel.TestKit; internal static class Placeholder {}
