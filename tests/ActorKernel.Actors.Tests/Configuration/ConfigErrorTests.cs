using ActorKernel.Actors.Configuration;
using ActorKernel.Actors.Workloads;
using ActorKernel.Configuration;
using ActorKernel.Model;

namespace ActorKernel.Actors.Tests.Configuration;

/// <summary>Every user mistake is one line naming the key, the file and what was expected.</summary>
public class ConfigErrorTests
{
    private static ConfigError LoadFails(string text, params string[] set)
    {
        using var file = new TempConfig(text);
        var e = Assert.Throws<ConfigError>(() => SettingsLoader.Load(file.Path, set));
        Assert.DoesNotContain('\n', e.Message);
        Assert.DoesNotContain('\r', e.Message);
        return Assert.IsType<ConfigError>(e);
    }

    private static string Message(string text, out string path, params string[] set)
    {
        using var file = new TempConfig(text);
        path = file.Path;
        var e = Assert.Throws<ConfigError>(() => SettingsLoader.Load(file.Path, set));
        Assert.DoesNotContain('\n', e.Message);
        return e.Message;
    }

    [Fact]
    public void Unknown_key_suggests_the_nearest()
    {
        var m = Message("actor-kernel.workload.fork-exec { spwan = vfork }", out var path);

        Assert.Equal($"unknown key 'actor-kernel.workload.fork-exec.spwan' in {path}; did you mean 'actor-kernel.workload.fork-exec.spawn'?", m);
    }

    [Fact]
    public void Unknown_block_suggests_the_nearest_key_below_it()
    {
        var m = Message("actor-kernel.workload.fork-exce.spawn = vfork", out var path);

        Assert.Equal($"unknown key 'actor-kernel.workload.fork-exce.spawn' in {path}; did you mean 'actor-kernel.workload.fork-exec.spawn'?", m);
    }

    [Fact]
    public void Unknown_key_in_set_names_set()
    {
        var e = Assert.Throws<ConfigError>(() => SettingsLoader.Load(null, ["costs.exec-nss=5"]));

        Assert.Equal("unknown key 'actor-kernel.costs.exec-nss' in --set; did you mean 'actor-kernel.costs.exec-ns'?", e.Message);
    }

    [Fact]
    public void Text_for_an_integer_names_the_key_the_file_and_the_range()
    {
        var m = Message("actor-kernel.workload.fork-exec.execs = lots", out var path);

        Assert.Equal($"invalid value 'lots' for actor-kernel.workload.fork-exec.execs in {path}: expected an integer from 1 to 10000000", m);
    }

    [Fact]
    public void A_hocon_duration_is_not_an_integer()
    {
        var m = Message("actor-kernel.workload.fork-exec.cycle-interval-us = 3 ms", out var path);

        Assert.Equal($"invalid value '3 ms' for actor-kernel.workload.fork-exec.cycle-interval-us in {path}: expected an integer from 0 to 1000000000", m);
    }

    [Fact]
    public void Maybe_is_not_a_boolean()
    {
        var m = Message("actor-kernel.workload.fork-exec.enabled = maybe", out var path);

        Assert.Equal($"invalid value 'maybe' for actor-kernel.workload.fork-exec.enabled in {path}: expected on, off, true, false, yes or no", m);
    }

    [Fact]
    public void Out_of_range_names_the_range()
    {
        var m = Message("actor-kernel.machine.numa-nodes = 65", out var path);

        Assert.Equal($"invalid value '65' for actor-kernel.machine.numa-nodes in {path}: expected an integer from 1 to 64", m);
    }

    [Fact]
    public void Rodata_must_hold_the_workload_pages()
    {
        var m = Message("actor-kernel.image.rodata-pages = 31", out var path);

        Assert.Equal($"invalid value '31' for actor-kernel.image.rodata-pages in {path}: expected an integer from 32 to 1000000", m);
    }

    [Theory]
    [InlineData("5000")]
    [InlineData("2048")]
    [InlineData("4194304")]
    public void Fault_around_bytes_is_a_power_of_two_in_range(string bytes)
    {
        var m = Message($"actor-kernel.mm.fault-around-bytes = {bytes}", out var path);

        Assert.Equal($"invalid value '{bytes}' for actor-kernel.mm.fault-around-bytes in {path}: expected a power of two from 4096 to 2097152", m);
    }

    [Fact]
    public void A_bad_enum_value_lists_the_choices()
    {
        var m = Message("actor-kernel.workload.fork-exec.spawn = clone3", out var path);

        Assert.Equal($"invalid value 'clone3' for actor-kernel.workload.fork-exec.spawn in {path}: expected one of fork, vfork, posix-spawn, system, popen", m);
    }

    [Fact]
    public void A_bad_value_from_set_names_set()
    {
        var e = Assert.Throws<ConfigError>(() => SettingsLoader.Load(null, ["workload.fork-exec.child-touches=everything"]));

        Assert.Equal("invalid value 'everything' for actor-kernel.workload.fork-exec.child-touches in --set: expected one of none, strings-page, window-neighbour, far-page", e.Message);
    }

    [Fact]
    public void An_unknown_profile_lists_the_profiles()
    {
        var e = Assert.Throws<ConfigError>(() => SettingsLoader.Load(null, ["kernel.profile=5.15"]));

        Assert.Equal("invalid value '5.15' for actor-kernel.kernel.profile in --set: expected one of 4.14, 6.8, 6.18", e.Message);
    }

    [Fact]
    public void A_block_where_a_value_belongs_is_an_error()
    {
        var m = Message("actor-kernel.engine.max-events { a = 1 }", out var path);

        Assert.Equal($"invalid value for actor-kernel.engine.max-events in {path}: expected an integer from 1 to 10000000000, not a block", m);
    }

    [Fact]
    public void A_value_where_a_block_belongs_is_an_error()
    {
        var m = Message("actor-kernel.engine = fast", out var path);

        Assert.Equal($"actor-kernel.engine in {path} is a block of settings, not a value", m);
    }

    [Fact]
    public void An_empty_value_is_an_error()
    {
        var m = Message("actor-kernel.engine.interleaving = ", out var path);

        Assert.Equal($"actor-kernel.engine.interleaving in {path} has no value", m);
    }

    [Theory]
    [InlineData("actor-kernel { engine { max-events = 5 }", "the '{' opened at line 1 is never closed")]
    [InlineData("actor-kernel.engine.max-events = 5\n}\nactor-kernel.machine.numa-nodes = 2", "'}' at line 2 closes nothing")]
    [InlineData("actor-kernel { a = [1 }", "'}' at line 1 does not match the '[' opened at line 1")]
    [InlineData("actor-kernel.probe.attach = \"sys_enter_execve", "the string opened at line 1 is never closed")]
    [InlineData("include \"other.conf\"", "include at line 1 is not supported (Akka's include is unreliable): write the settings in this file")]
    [InlineData("actor-kernel.probe.attach = @x", "'@' at line 1 must be inside a quoted string")]
    [InlineData("actor-kernel.probe.attach = :", "Unknown token at position")]
    public void Malformed_hocon_names_the_file_and_the_problem(string text, string problem)
    {
        var e = LoadFails(text);

        Assert.StartsWith("malformed HOCON in ", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void Malformed_hocon_message_names_the_path()
    {
        var m = Message("actor-kernel {", out var path);

        Assert.Equal($"malformed HOCON in {path}: the '{{' opened at line 1 is never closed", m);
    }

    [Fact]
    public void A_set_without_equals_is_an_error()
    {
        var e = Assert.Throws<ConfigError>(() => SettingsLoader.Load(null, ["workload.fork-exec.spawn"]));

        Assert.Equal("malformed override 'workload.fork-exec.spawn' in --set: expected key=value, e.g. workload.fork-exec.spawn=vfork", e.Message);
    }

    [Fact]
    public void Set_values_are_taken_verbatim()
    {
        var e = Assert.Throws<ConfigError>(() => SettingsLoader.Load(null, ["probe.attach=a } b"]));

        Assert.Equal("invalid value 'a } b' for actor-kernel.probe.attach in --set: expected one of sys_enter_execve", e.Message);
    }

    [Fact]
    public void Fresh_windows_need_rodata_past_the_first_window_at_bind_time()
    {
        var e = Assert.Throws<ConfigError>(() => SettingsLoader.Load(null, ["workload.fork-exec.strings-placement=fresh-window-per-exec", "image.rodata-pages=47"]));

        Assert.Equal(
            "actor-kernel.workload.fork-exec.strings-placement = fresh-window-per-exec (with strings = rodata) needs actor-kernel.image.rodata-pages >= 60, got 47: " +
            "each exec's strings take a fresh 16-page window of .rodata (mm.fault-around-bytes) from page 44 on", e.Message);
    }

    // The window follows mm.fault-around-bytes: at 128 KiB one window needs 32 pages from its aligned start.
    [Fact]
    public void Fresh_windows_follow_the_fault_around_window_at_bind_time()
    {
        var e = Assert.Throws<ConfigError>(() => SettingsLoader.Load(null,
            ["workload.fork-exec.strings-placement=fresh-window-per-exec", "mm.fault-around-bytes=131072", "image.rodata-pages=63"]));

        Assert.Contains("fresh 32-page window", e.Message);
        Assert.Contains("got 63", e.Message);
    }

    [Theory]
    [InlineData("workload.fork-exec.strings=stack")]
    [InlineData("workload.fork-exec.enabled=off")]
    [InlineData("workload.fork-exec.strings-placement=fixed")]
    public void Few_rodata_pages_are_fine_where_no_fresh_window_is_used(string other)
    {
        var s = SettingsLoader.Load(null, ["workload.fork-exec.strings-placement=fresh-window-per-exec", "image.rodata-pages=32", other]);

        Assert.Equal(32, s.Image.RodataPages);
    }

    // The bound the schema checks is the one the workload needs: one window fits exactly at the minimum, none below it.
    [Fact]
    public void The_bound_is_the_workloads_first_window()
    {
        // The page-aligned .rodata starts 4 pages into a window: the first window at or after page 32 is page 44.
        var s = SettingsLoader.Load(null, ["workload.fork-exec.strings-placement=fresh-window-per-exec", "image.rodata-pages=60"]);

        Assert.Equal(1, RodataPlaces.Of(s.Image, s.Mm.FaultAroundBytes).FreshWindows);
        Assert.Equal(0, RodataPlaces.Of(s.Image with { RodataPages = 59 }, s.Mm.FaultAroundBytes).FreshWindows);
    }
}
