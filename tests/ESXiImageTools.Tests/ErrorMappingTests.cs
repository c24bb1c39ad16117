using System;
using System.Linq;
using ESXiImageTools.Core.Diagnostics;
using Xunit;

namespace ESXiImageTools.Tests;

/// <summary>Engine error categories map one to one onto PowerShell's ErrorCategory by name.</summary>
public class ErrorMappingTests
{
    [Fact]
    public void EveryEngineCategoryNamesAPowerShellErrorCategory()
    {
        var errorCategory = ModuleAssembly.Assembly.GetType("ESXiImageTools.Infrastructure.EsxCmdlet").BaseType.Assembly
            .GetType("System.Management.Automation.ErrorCategory", throwOnError: true);
        var names = Enum.GetNames(errorCategory);
        foreach (var c in Enum.GetNames(typeof(EsxErrorCategory)))
            Assert.Contains(c, names);
    }

    [Fact]
    public void MappingKeepsTheName()
    {
        foreach (EsxErrorCategory c in Enum.GetValues(typeof(EsxErrorCategory)))
            Assert.Equal(c.ToString(), Map(c));
    }

    /// <summary>Each engine hint reads as PowerShell's parameter in the module (the CLI's words: Cli.Tests' CliHintsTests).</summary>
    [Theory]
    [InlineData(EsxHints.OverwriteNeeded, "'x' already exists (use -Force to replace it)")]
    [InlineData(EsxHints.AllowInvalidProfile, "'x' already exists (use -AllowInvalidProfile to export anyway)")]
    [InlineData(EsxHints.ForceEdit, "'x' already exists (use -Force to go ahead anyway)")]
    [InlineData(EsxHints.SkipSignatureCheck, "'x' already exists (-NoSignatureCheck)")]
    [InlineData(EsxHints.CloneToEdit, "'x' already exists (New-EsxProfile -CloneProfile makes an editable copy)")]
    [InlineData(null, "'x' already exists")]
    public void The_module_renders_the_engines_hint_in_its_own_words(string hint, string powerShell)
    {
        var e = new EsxException(ErrorCodes.ExportDestinationExists, EsxErrorCategory.ResourceExists, "'x' already exists", "x") { Hint = hint };
        // ToErrorRecord puts this text into the record's ErrorDetails (PowerShell types cannot be exercised here: the
        // SMA this project loads is the reference assembly).
        var shown = (string)ModuleAssembly.Assembly.GetType("ESXiImageTools.Infrastructure.PowerShellHints", throwOnError: true)
            .GetMethod("Message").Invoke(null, new object[] { e, null });
        Assert.Equal(powerShell, shown);
    }

    /// <summary>Every hint the engine defines has words in the module.</summary>
    [Fact]
    public void Every_hint_has_words_in_the_module()
    {
        var render = ModuleAssembly.Assembly.GetType("ESXiImageTools.Infrastructure.PowerShellHints", throwOnError: true).GetMethod("Render");
        foreach (var f in typeof(EsxHints).GetFields().Where(f => f.IsLiteral))
        {
            var hint = (string)f.GetValue(null);
            Assert.False(string.IsNullOrEmpty((string)render.Invoke(null, new object[] { hint })), hint);
        }
    }

    private static string Map(EsxErrorCategory c)
        => ModuleAssembly.Assembly.GetType("ESXiImageTools.Infrastructure.EsxErrors", throwOnError: true)
            .GetMethod("ToErrorCategory").Invoke(null, new object[] { c }).ToString();
}

/// <summary>An exception that escapes the engine becomes one InternalError record that says it is a bug.</summary>
public class InternalErrorTests
{
    private static Type Errors => ModuleAssembly.Assembly.GetType("ESXiImageTools.Infrastructure.EsxErrors", throwOnError: true);

    [Fact]
    public void An_untyped_exception_becomes_InternalError_naming_its_type_with_control_characters_escaped()
    {
        var e = (EsxException)Errors.GetMethod("InternalException").Invoke(null, new object[] { new InvalidCastException("bad\0cast"), "target" });
        Assert.Equal(ErrorCodes.InternalError, e.Code);
        Assert.Equal("this is a bug, please report it: System.InvalidCastException: bad\\x00cast", e.Message);
        Assert.IsType<InvalidCastException>(e.InnerException);
    }

    [Fact]
    public void Only_untyped_exceptions_count_as_unexpected()
    {
        bool Unexpected(Exception x) => (bool)Errors.GetMethod("IsUnexpected").Invoke(null, new object[] { x });
        Assert.True(Unexpected(new InvalidCastException()));
        Assert.True(Unexpected(new System.IO.InvalidDataException()));
        Assert.False(Unexpected(new EsxException("X", EsxErrorCategory.InvalidData, "typed")));
        Assert.False(Unexpected(new OperationCanceledException()));
    }

    [Fact]
    public void The_cmdlet_base_routes_untyped_exceptions_to_the_InternalError_record()
    {
        // Read from the IL's metadata: TryRun and RunWithProgress both reference EsxErrors.Internal.
        var cmdlet = ModuleAssembly.Assembly.GetType("ESXiImageTools.Infrastructure.EsxCmdlet", throwOnError: true);
        var internalToken = Errors.GetMethod("Internal").MetadataToken;
        foreach (var name in new[] { "TryRun", "RunWithProgress" })
        {
            var m = cmdlet.GetMethod(name, System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic);
            var il = m.GetMethodBody().GetILAsByteArray();
            bool calls = false;
            for (int i = 0; i + 4 < il.Length; i++)
                if (il[i] == 0x28 && BitConverter.ToInt32(il, i + 1) == internalToken) calls = true; // call <token>
            Assert.True(calls, $"{name} does not call EsxErrors.Internal");
        }
    }
}
