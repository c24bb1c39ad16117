using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Xml;

namespace ESXiImageTools.Tests.Help;

/// <summary>
/// The project's own MAML generator: builds en-US/ESXiImageTools.dll-Help.xml from the markdown under
/// docs/cmdlets/ plus what reflection says about each parameter (type, mandatory, position, pipeline
/// input, aliases, parameter sets). Output is deterministic so a test can compare it with the
/// committed file. Regenerate with: ESXIIMAGETOOLS_UPDATE_HELP=1 dotnet test tests/ESXiImageTools.Tests --filter Help
/// </summary>
public static class MamlGenerator
{
    private const string Maml = "http://schemas.microsoft.com/maml/2004/10";
    private const string Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private const string Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    public static string OutputPath => Path.Combine(ESXiImageTools.TestSupport.RepoRoot.Path, "en-US", "ESXiImageTools.dll-Help.xml");

    public static string Generate(IEnumerable<CmdletInfoData> cmdlets)
    {
        var sb = new StringBuilder();
        var settings = new XmlWriterSettings { Indent = true, IndentChars = "  ", Encoding = new UTF8Encoding(false), NewLineChars = "\n" };
        using (var sw = new StringWriter(sb))
        using (var w = XmlWriter.Create(sw, settings))
        {
            w.WriteStartElement("helpItems");
            w.WriteAttributeString("schema", "maml");
            w.WriteAttributeString("xmlns", "maml", null, Maml);
            w.WriteAttributeString("xmlns", "command", null, Command);
            w.WriteAttributeString("xmlns", "dev", null, Dev);
            foreach (var c in cmdlets.OrderBy(c => c.Name, StringComparer.Ordinal))
                WriteCommand(w, c, CmdletHelpSource.Load(c.Name));
            w.WriteEndElement();
        }
        return sb.ToString().Replace("encoding=\"utf-16\"", "encoding=\"utf-8\"") + "\n";
    }

    private static void WriteCommand(XmlWriter w, CmdletInfoData c, CmdletHelpSource help)
    {
        var parameters = ParameterInfoData.For(c.Type);
        w.WriteStartElement("command", "command", Command);

        w.WriteStartElement("command", "details", Command);
        w.WriteElementString("command", "name", Command, c.Name);
        Paragraphs(w, "description", Maml, help.Synopsis);
        w.WriteElementString("command", "verb", Command, c.Verb);
        w.WriteElementString("command", "noun", Command, c.Noun);
        w.WriteEndElement();

        Paragraphs(w, "description", Maml, help.Description);

        // Syntax: one item per parameter set.
        w.WriteStartElement("command", "syntax", Command);
        foreach (var set in ParameterSets(parameters))
        {
            w.WriteStartElement("command", "syntaxItem", Command);
            w.WriteElementString("maml", "name", Maml, c.Name);
            foreach (var (p, attr) in parameters.SelectMany(p => p.Parameters.Where(a => InSet(p, a, set)).Take(1).Select(a => (p, a)))
                                                .OrderBy(x => Position(x.p, x.a)).ThenBy(x => x.p.Name, StringComparer.Ordinal))
                WriteParameter(w, p, attr, help);
            // PowerShell adds -WhatIf and -Confirm to every set of a ShouldProcess cmdlet; Get-Help shows
            // only what the MAML lists (the other common parameters appear as [<CommonParameters>]).
            if (c.SupportsShouldProcess) foreach (var (name, alias, text) in ShouldProcessParameters) WriteSwitch(w, name, alias, text);
            w.WriteEndElement();
        }
        w.WriteEndElement();

        w.WriteStartElement("command", "parameters", Command);
        foreach (var p in parameters)
            WriteParameter(w, p, p.Parameters.First(), help);
        if (c.SupportsShouldProcess) foreach (var (name, alias, text) in ShouldProcessParameters) WriteSwitch(w, name, alias, text);
        w.WriteEndElement();

        TypeList(w, "inputTypes", "inputType", help.Inputs);
        TypeList(w, "returnValues", "returnValue", help.Outputs);

        if (help.Notes.Length > 0)
        {
            w.WriteStartElement("maml", "alertSet", Maml);
            w.WriteStartElement("maml", "alert", Maml);
            Paras(w, help.Notes);
            w.WriteEndElement();
            w.WriteEndElement();
        }

        w.WriteStartElement("command", "examples", Command);
        int n = 0;
        foreach (var e in help.Examples)
        {
            w.WriteStartElement("command", "example", Command);
            w.WriteElementString("maml", "title", Maml, $"-------------------------- {e.Title} --------------------------");
            w.WriteElementString("dev", "code", Dev, e.Code);
            w.WriteStartElement("dev", "remarks", Dev);
            Paras(w, e.Remarks);
            w.WriteEndElement();
            w.WriteEndElement();
            n++;
        }
        w.WriteEndElement();

        w.WriteStartElement("command", "relatedLinks", Command);
        foreach (var link in help.RelatedLinks)
        {
            w.WriteStartElement("maml", "navigationLink", Maml);
            w.WriteElementString("maml", "linkText", Maml, link);
            w.WriteElementString("maml", "uri", Maml, "");
            w.WriteEndElement();
        }
        w.WriteEndElement();

        w.WriteEndElement();
    }

    private static IReadOnlyList<string> ParameterSets(IReadOnlyList<ParameterInfoData> parameters)
    {
        var sets = parameters.SelectMany(p => p.Parameters.Select(p.SetName)).Where(s => s != "__AllParameterSets")
            .Distinct().OrderBy(s => s, StringComparer.Ordinal).ToList();
        return sets.Count == 0 ? new[] { "__AllParameterSets" } : sets;
    }

    private static bool InSet(ParameterInfoData p, CustomAttributeData a, string set)
        => p.SetName(a) == set || p.SetName(a) == "__AllParameterSets";

    private static int Position(ParameterInfoData p, CustomAttributeData a) => p.Position(a) == int.MinValue ? int.MaxValue : p.Position(a);

    private static void WriteParameter(XmlWriter w, ParameterInfoData p, CustomAttributeData attr, CmdletHelpSource help)
    {
        var type = p.Property.PropertyType;
        bool isSwitch = type.FullName == "System.Management.Automation.SwitchParameter";
        string pipeline = p.ByValue && p.ByPropertyName ? "True (ByValue, ByPropertyName)"
                        : p.ByValue ? "True (ByValue)" : p.ByPropertyName ? "True (ByPropertyName)" : "False";
        w.WriteStartElement("command", "parameter", Command);
        w.WriteAttributeString("required", p.Mandatory(attr) ? "true" : "false");
        w.WriteAttributeString("variableLength", "true");
        w.WriteAttributeString("globbing", p.Property.GetCustomAttributesData().Any(a => a.AttributeType.Name == "SupportsWildcardsAttribute") ? "true" : "false");
        w.WriteAttributeString("pipelineInput", pipeline);
        w.WriteAttributeString("position", p.Position(attr) == int.MinValue ? "named" : p.Position(attr).ToString());
        w.WriteAttributeString("aliases", p.Aliases.Count == 0 ? "none" : string.Join(", ", p.Aliases));
        w.WriteElementString("maml", "name", Maml, p.Name);
        help.Parameters.TryGetValue(p.Name, out var text);
        Paragraphs(w, "description", Maml, text ?? "");
        if (!isSwitch)
        {
            w.WriteStartElement("command", "parameterValue", Command);
            w.WriteAttributeString("required", "true");
            w.WriteAttributeString("variableLength", type.IsArray ? "true" : "false");
            w.WriteString(TypeName(type));
            w.WriteEndElement();
        }
        w.WriteStartElement("dev", "type", Dev);
        w.WriteElementString("maml", "name", Maml, TypeName(type));
        w.WriteElementString("maml", "uri", Maml, "");
        w.WriteEndElement();
        w.WriteEndElement();
    }

    private static readonly (string Name, string Alias, string Text)[] ShouldProcessParameters =
    {
        ("WhatIf", "wi", "Shows what would happen if the cmdlet runs. The cmdlet is not run."),
        ("Confirm", "cf", "Prompts you for confirmation before running the cmdlet."),
    };

    private static void WriteSwitch(XmlWriter w, string name, string alias, string text)
    {
        w.WriteStartElement("command", "parameter", Command);
        w.WriteAttributeString("required", "false");
        w.WriteAttributeString("variableLength", "true");
        w.WriteAttributeString("globbing", "false");
        w.WriteAttributeString("pipelineInput", "False");
        w.WriteAttributeString("position", "named");
        w.WriteAttributeString("aliases", alias);
        w.WriteElementString("maml", "name", Maml, name);
        Paragraphs(w, "description", Maml, text);
        w.WriteStartElement("dev", "type", Dev);
        w.WriteElementString("maml", "name", Maml, "System.Management.Automation.SwitchParameter");
        w.WriteElementString("maml", "uri", Maml, "");
        w.WriteEndElement();
        w.WriteEndElement();
    }

    private static string TypeName(Type t)
    {
        if (t.IsArray) return TypeName(t.GetElementType()) + "[]";
        var nullable = Nullable.GetUnderlyingType(t);
        if (nullable != null) return TypeName(nullable);
        return t.FullName;
    }

    private static void TypeList(XmlWriter w, string outer, string inner, string text)
    {
        w.WriteStartElement("command", outer, Command);
        foreach (var block in Blocks(text))
        {
            var lines = block.Split('\n');
            var name = lines[0].TrimStart('#', ' ').Trim();
            w.WriteStartElement("command", inner, Command);
            w.WriteStartElement("dev", "type", Dev);
            w.WriteElementString("maml", "name", Maml, name);
            w.WriteEndElement();
            Paragraphs(w, "description", Maml, string.Join("\n", lines.Skip(1)));
            w.WriteEndElement();
        }
        w.WriteEndElement();
    }

    /// <summary>Splits INPUTS/OUTPUTS text at "### Type" lines (the parser already consumed them as subsections, so types are lines).</summary>
    private static IEnumerable<string> Blocks(string text)
    {
        var blocks = new List<string>();
        var current = new List<string>();
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("- ") || line.StartsWith("* "))
            {
                if (current.Count > 0) blocks.Add(string.Join("\n", current));
                current = new List<string> { line.Substring(2).Trim() };
            }
            else if (current.Count > 0) current.Add(line);
        }
        if (current.Count > 0) blocks.Add(string.Join("\n", current));
        return blocks;
    }

    private static void Paragraphs(XmlWriter w, string element, string ns, string text)
    {
        w.WriteStartElement("maml", element, ns);
        Paras(w, text);
        w.WriteEndElement();
    }

    private static void Paras(XmlWriter w, string text)
    {
        foreach (var para in (text ?? "").Replace("\r\n", "\n").Split(new[] { "\n\n" }, StringSplitOptions.RemoveEmptyEntries))
        {
            var p = string.Join(" ", para.Split('\n').Select(l => l.Trim())).Trim();
            if (p.Length > 0) w.WriteElementString("maml", "para", Maml, p);
        }
    }
}
