using System.Collections.Generic;
using ESXiImageTools.Cli.Commands;

namespace ESXiImageTools.Cli;

/// <summary>
/// Every <c>esximage</c> command, listed by hand rather than found by reflection: a Native AOT build trims types
/// nothing names, and a fixed list starts faster. A command class missing here fails
/// <c>CommandRegistryTests</c>; add new commands in name order.
/// </summary>
public static class CliCommands
{
    /// <summary>Creates one instance of each command, in name order.</summary>
    public static IReadOnlyList<CliCommand> Create() => new CliCommand[]
    {
        new AddonsCommand(),
        new BaseImagesCommand(),
        new BuildCommand(),
        new BundleCommand(),
        new CompareCommand(),
        new ComponentsCommand(),
        new CustomizeCommand(),
        new InspectCommand(),
        new IsoCreateCommand(),
        new IsoListCommand(),
        new PackagesCommand(),
        new ProfilesCommand(),
        new ValidateCommand(),
        new VerifyCommand(),
        new VibCommand(),
    };
}
