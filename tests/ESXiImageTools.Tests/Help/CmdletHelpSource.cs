using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace ESXiImageTools.Tests.Help;

/// <summary>One example in a cmdlet's help: title, PowerShell code, remarks.</summary>
public sealed record HelpExample(string Title, string Code, string Remarks);

/// <summary>
/// The readable help source of one cmdlet, docs/cmdlets/&lt;Cmdlet&gt;.md, in a small platyPS-like
/// shape: <c># Name</c>, <c>## SYNOPSIS</c>, <c>## DESCRIPTION</c>, <c>## PARAMETERS</c> with
/// <c>### -Param</c>, <c>## INPUTS</c>, <c>## OUTPUTS</c>, <c>## EXAMPLES</c> with <c>### Example N: title</c>
/// and a fenced powershell block, <c>## NOTES</c>, <c>## RELATED LINKS</c> (a bullet list).
/// </summary>
public sealed class CmdletHelpSource
{
    public string Name { get; private set; }
    public string Synopsis { get; private set; } = "";
    public string Description { get; private set; } = "";
    public Dictionary<string, string> Parameters { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
    public string Inputs { get; private set; } = "";
    public string Outputs { get; private set; } = "";
    public List<HelpExample> Examples { get; } = new List<HelpExample>();
    public string Notes { get; private set; } = "";
    public List<string> RelatedLinks { get; } = new List<string>();

    public static string Folder => Path.Combine(ESXiImageTools.TestSupport.RepoRoot.Path, "docs", "cmdlets");

    public static CmdletHelpSource Load(string cmdlet) => Parse(File.ReadAllText(Path.Combine(Folder, cmdlet + ".md")));

    public static CmdletHelpSource Parse(string markdown)
    {
        var help = new CmdletHelpSource();
        string section = null, sub = null;
        var buffer = new List<string>();
        var lines = markdown.Replace("\r\n", "\n").Split('\n');

        void Flush()
        {
            var text = string.Join("\n", buffer).Trim();
            buffer.Clear();
            switch (section)
            {
                case "SYNOPSIS": help.Synopsis = text; break;
                case "DESCRIPTION": help.Description = text; break;
                case "INPUTS": help.Inputs = text; break;
                case "OUTPUTS": help.Outputs = text; break;
                case "NOTES": help.Notes = text; break;
                case "PARAMETERS" when sub != null: help.Parameters[sub.TrimStart('-')] = text; break;
                case "EXAMPLES" when sub != null: help.Examples.Add(ParseExample(sub, text)); break;
                case "RELATED LINKS":
                    help.RelatedLinks.AddRange(text.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("- ")).Select(l => l.Substring(2).Trim()));
                    break;
            }
        }

        bool inFence = false;
        foreach (var line in lines)
        {
            if (line.StartsWith("```")) inFence = !inFence;
            if (!inFence && line.StartsWith("# ") && help.Name == null) { help.Name = line.Substring(2).Trim(); continue; }
            if (!inFence && line.StartsWith("## ")) { Flush(); section = line.Substring(3).Trim().ToUpperInvariant(); sub = null; continue; }
            if (!inFence && line.StartsWith("### ")) { Flush(); sub = line.Substring(4).Trim(); continue; }
            buffer.Add(line);
        }
        Flush();
        return help;
    }

    private static HelpExample ParseExample(string title, string text)
    {
        var lines = text.Split('\n');
        var code = new StringBuilder();
        var remarks = new StringBuilder();
        bool inFence = false, fenceSeen = false;
        foreach (var l in lines)
        {
            if (l.StartsWith("```")) { inFence = !inFence; fenceSeen = true; continue; }
            if (inFence) code.Append(l).Append('\n');
            else if (fenceSeen) remarks.Append(l).Append('\n');
        }
        return new HelpExample(title, code.ToString().Trim(), remarks.ToString().Trim());
    }
}
