using System;
using System.Linq;
using ESXiImageTools.Cli;
using Xunit;

namespace ESXiImageTools.Cli.Tests;

/// <summary>The explicit command registry (no reflection at run time, for Native AOT) must name every command class.</summary>
public class CommandRegistryTests
{
    [Fact]
    public void Every_command_class_is_in_the_registry_once()
    {
        var classes = typeof(CliCommand).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(CliCommand).IsAssignableFrom(t))
            .Select(t => t.FullName).OrderBy(n => n, StringComparer.Ordinal).ToList();
        var registered = CliCommands.Create().Select(c => c.GetType().FullName).OrderBy(n => n, StringComparer.Ordinal).ToList();
        Assert.NotEmpty(classes);
        Assert.Equal(classes, registered);
    }

    [Fact]
    public void Command_names_are_unique()
    {
        var names = Program.Commands.Select(c => c.Name).ToList();
        Assert.Equal(names.Distinct(StringComparer.Ordinal).Count(), names.Count);
    }
}
