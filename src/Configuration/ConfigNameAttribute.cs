namespace ActorKernel.Configuration;

/// <summary>
/// The name an enum member is written as in configuration, when the kebab-case of its C# name
/// is not it (for example <c>NoFault</c> is written <c>nofault</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class ConfigNameAttribute : Attribute
{
    public ConfigNameAttribute(string name) => Name = name;

    public string Name { get; }
}
