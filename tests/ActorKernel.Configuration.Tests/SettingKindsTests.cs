using static ActorKernel.Configuration.SettingKinds;

namespace ActorKernel.Configuration.Tests;

public class SettingKindsTests
{
    private static bool Parses<T>(SettingKind<T> kind, string text, out T value) => kind.TryParse(RawValue.Scalar(text), out value!);

    [Theory]
    [InlineData("on", true)]
    [InlineData("YES", true)]
    [InlineData("true", true)]
    [InlineData("off", false)]
    [InlineData("no", false)]
    [InlineData("False", false)]
    public void Flags_are_on_off_true_false_yes_no(string text, bool expected)
    {
        Assert.True(Parses(Flag, text, out var value));
        Assert.Equal(expected, value);
    }

    [Fact]
    public void Maybe_is_not_a_flag()
    {
        Assert.False(Flag.Accepts(RawValue.Scalar("maybe")));
        Assert.Equal("on, off, true, false, yes or no", Flag.Expected);
    }

    [Theory]
    [InlineData("0", false)]
    [InlineData("1", true)]
    [InlineData("64", true)]
    [InlineData("65", false)]
    [InlineData("3 ms", false)]
    [InlineData("1.5", false)]
    public void Integers_are_bounded_and_plain(string text, bool ok)
    {
        Assert.Equal(ok, Integer(1, 64).Accepts(RawValue.Scalar(text)));
        Assert.Equal(ok, Int32(1, 64).Accepts(RawValue.Scalar(text)));
        Assert.Equal("an integer from 1 to 64", Integer(1, 64).Expected);
    }

    [Theory]
    [InlineData("4096", true)]
    [InlineData("8192", true)]
    [InlineData("5000", false)]
    [InlineData("2048", false)]
    public void Powers_of_two_are_bounded(string text, bool ok)
    {
        Assert.Equal(ok, PowerOfTwo(4096, 65536).Accepts(RawValue.Scalar(text)));
    }

    [Fact]
    public void Enum_members_are_kebab_case_or_their_config_name()
    {
        var kind = Enum<DemoSchema.Colour>();

        Assert.Equal("one of dark-red, blue!", kind.Expected);
        Assert.True(Parses(kind, "dark-red", out var red));
        Assert.Equal(DemoSchema.Colour.DarkRed, red);
        Assert.True(Parses(kind, "blue!", out var blue));
        Assert.Equal(DemoSchema.Colour.Blue, blue);
        Assert.False(kind.Accepts(RawValue.Scalar("DarkRed")));
        Assert.Equal("blue!", NameOf(DemoSchema.Colour.Blue));
    }

    [Fact]
    public void One_of_matches_exactly()
    {
        var kind = OneOf(["4.14", "6.8"]);

        Assert.True(kind.Accepts(RawValue.Scalar("6.8")));
        Assert.False(kind.Accepts(RawValue.Scalar("6.80")));
        Assert.Equal("one of 4.14, 6.8", kind.Expected);
    }

    [Fact]
    public void Lists_hold_at_least_their_minimum_of_valid_items()
    {
        var kind = ListOf(Int32(1, 9), minCount: 2);

        Assert.True(kind.TryParse(RawValue.List(["1", "9"]), out var items));
        Assert.Equal([1, 9], items);
        Assert.False(kind.Accepts(RawValue.List(["1"])));
        Assert.False(kind.Accepts(RawValue.List(["1", "10"])));
        Assert.False(kind.Accepts(RawValue.Scalar("1")));
        Assert.Equal("a list of at least 2 of an integer from 1 to 9", kind.Expected);
    }
}
