namespace ActorKernel.Configuration;

/// <summary>
/// A mistake of the user's (configuration, command line, files, output folder) rather than of the
/// program: its message is one line that says what is wrong and where. The CLI catches this type
/// in one place, prints the message and exits with status 2, having written nothing. The message
/// is escaped (<see cref="UserText.Escape"/>): whatever the user typed, it prints as one safe line.
/// </summary>
public abstract class UserError : Exception
{
    protected UserError(string message)
        : base(UserText.Escape(message))
    {
    }
}
