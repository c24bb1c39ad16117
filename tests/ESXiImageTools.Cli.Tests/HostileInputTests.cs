using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using ESXiImageTools.Cli;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Cli.Tests;

/// <summary>
/// A fact that needs an unprivileged user, since root reads files whatever their permissions say. As root it runs the
/// command-line tool as the user nobody through setpriv (<see cref="HostileInputTests.CliAsOrdinaryUser"/>); it skips
/// only where neither is possible.
/// </summary>
public sealed class OrdinaryUserFactAttribute : FactAttribute
{
    public OrdinaryUserFactAttribute()
    {
        if (!OperatingSystem.IsWindows() && Environment.UserName == "root" && !ExternalTools.Has("setpriv"))
            Skip = "runs as root, who can read a file without read permission, and setpriv (util-linux) is missing to run as nobody";
    }
}

/// <summary>
/// Hostile inputs at the command line (second hostile campaign, items 4, 7, 14): FIFOs never block, sockets and
/// unreadable files are input errors (exit 3), an ISO with a repeated name is IsoInvalid, not a crash.
/// </summary>
public class HostileInputTests
{
    private const string Profile = "ESXi-8.0.0-20513097-sample-standard";
    private static string SampleDepot => Path.Combine(RepoRoot.Path, "samples", "depot", "ESXi-8.0.0-sample-depot.zip");

    // Bounded: a command blocked in open() on a FIFO fails the test instead of hanging the run.
    private static (int Code, string Out, string Err) Cli(params string[] args)
    {
        var task = Task.Run(() => CliRunner.RunHere(args));
        Assert.True(task.Wait(TimeSpan.FromSeconds(120)), "esximage " + string.Join(" ", args) + " did not return");
        return task.Result;
    }

    [ToolFact("mkfifo")]
    public void A_fifo_given_as_from_add_depot_or_spec_is_refused_without_blocking()
    {
        using var tmp = new TempDir();
        var pipe = HostileFiles.Fifo(tmp.File("driver.tgz"));
        var spec = HostileFiles.Fifo(tmp.File("spec.json"));
        var runs = new[]
        {
            Cli("vib", "new", "--from", pipe, "--name", "x", "--version", "1.0-1", "--vendor", "v", "--out", tmp.File("x.vib")),
            Cli("customize", "--source", SampleDepot, "--add", pipe, "--out", tmp.File("c.zip"), "--timestamp", "1700000000"),
            Cli("packages", "--depot", pipe),
            Cli("build", "--depot", SampleDepot, "--spec", spec, "--bundle", tmp.File("b.zip"), "--timestamp", "1700000000"),
        };
        foreach (var r in runs)
        {
            Assert.True(r.Code == ExitCodes.InvalidInput, r.Err);
            Assert.Contains("FIFO", r.Err);
        }
        Assert.Equal(new[] { "driver.tgz", "spec.json" }, Directory.GetFileSystemEntries(tmp.Path).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal));
    }

    [Fact]
    public void A_socket_as_an_input_is_an_input_error_not_an_output_failure()
    {
        if (OperatingSystem.IsWindows()) return; // Unix-domain sockets in folders are a Unix matter
        using var tmp = new TempDir();
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        socket.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(tmp.File("sock")));
        foreach (var r in new[]
        {
            Cli("vib", "new", "--from", tmp.File("sock"), "--name", "x", "--version", "1.0-1", "--vendor", "v", "--out", tmp.File("x.vib")),
            Cli("packages", "--depot", tmp.File("sock")),
        })
        {
            Assert.True(r.Code == ExitCodes.InvalidInput, r.Err);
            Assert.Contains("socket", r.Err);
        }
    }

    /// <summary>
    /// Runs the tool as an ordinary user: in this process when that is what the tests run as; as root, as the user nobody
    /// (setpriv), from copies of the tool and the sample depot in <paramref name="tmp"/>, which is opened to everyone
    /// (the repository may sit where nobody cannot read, such as /root).
    /// </summary>
    internal static (int Code, string Out, string Err) CliAsOrdinaryUser(TempDir tmp, params string[] args)
    {
        if (OperatingSystem.IsWindows() || Environment.UserName != "root") return Cli(args);
        var cli = Path.Combine(tmp.Path, "cli");
        if (!Directory.Exists(cli))
        {
            var bin = Path.GetDirectoryName(typeof(Program).Assembly.Location);
            foreach (var f in Directory.GetFiles(bin, "*", SearchOption.AllDirectories))
            {
                var to = Path.Combine(cli, Path.GetRelativePath(bin, f));
                Directory.CreateDirectory(Path.GetDirectoryName(to));
                File.Copy(f, to);
            }
        }
        var asNobody = new[] { "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--", CliRunner.DotnetHost, Path.Combine(cli, "esximage.dll") };
        var home = new System.Collections.Generic.Dictionary<string, string> { ["HOME"] = tmp.Path, ["TMPDIR"] = tmp.Path, ["DOTNET_CLI_HOME"] = tmp.Path };
        return CliRunner.RunProcess(asNobody, args, home, tmp.Path);
    }

    [OrdinaryUserFact]
    public void An_unreadable_input_is_an_input_error_naming_it()
    {
        using var tmp = new TempDir();
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(tmp.Path, (UnixFileMode)Convert.ToInt32("777", 8)); // the user nobody works in it when the tests run as root
        var sample = tmp.File("sample.zip");
        File.Copy(SampleDepot, sample);
        File.SetUnixFileMode(sample, (UnixFileMode)Convert.ToInt32("644", 8));
        // The setup can fail only where this test cannot prove anything: nobody must be able to read the readable copy.
        var control = CliAsOrdinaryUser(tmp, "profiles", "--depot", sample);
        Assert.True(control.Code == ExitCodes.Success, "the ordinary user cannot read a readable depot: " + control.Err);
        var zip = tmp.File("locked.zip");
        File.Copy(SampleDepot, zip);
        File.SetUnixFileMode(zip, UnixFileMode.None);
        var spec = tmp.File("locked.json");
        File.WriteAllText(spec, "{\"baseProfile\":\"" + Profile + "\"}");
        File.SetUnixFileMode(spec, UnixFileMode.None);
        var tgz = tmp.File("locked.tgz");
        File.WriteAllBytes(tgz, new HostileTar().File("etc/a", new byte[] { 1 }).End().ToTgz());
        File.SetUnixFileMode(tgz, UnixFileMode.None);
        foreach (var (r, file) in new[]
        {
            (CliAsOrdinaryUser(tmp, "packages", "--depot", zip), zip),
            (CliAsOrdinaryUser(tmp, "build", "--depot", sample, "--spec", spec, "--bundle", tmp.File("b.zip")), spec),
            (CliAsOrdinaryUser(tmp, "vib", "new", "--from", tgz, "--name", "x", "--version", "1.0-1", "--vendor", "v", "--out", tmp.File("x.vib")), tgz),
        })
        {
            Assert.True(r.Code == ExitCodes.InvalidInput, r.Err);
            Assert.Contains("permission denied", r.Err);
            Assert.Contains(file, r.Err);
        }
    }

    [Fact]
    public void An_iso_with_two_records_of_one_name_is_IsoInvalid_for_verify_and_customize()
    {
        using var tmp = new TempDir();
        var iso = tmp.File("sample.iso");
        var b = Cli("build", "--depot", SampleDepot, "--profile", Profile, "--trust-cert", TestSigning.SampleCertificateFile, "--iso", iso, "--timestamp", "1700000000");
        Assert.True(b.Code == 0, b.Err);
        // Rename one root record to the name of another of the same length ("B.B00;1"), in any case.
        var bytes = File.ReadAllBytes(iso);
        var names = new[] { "S.V00;1", "B.B00;1" };
        var from = Encoding.ASCII.GetBytes(names[0]);
        int hits = 0;
        for (int i = 0; i + from.Length <= bytes.Length; i++)
            if (Enumerable.Range(0, from.Length).All(k => bytes[i + k] == from[k])) { Encoding.ASCII.GetBytes("b.b00;1").CopyTo(bytes, i); hits++; }
        Assert.True(hits >= 1, "no S.V00 record in the sample ISO");
        File.WriteAllBytes(tmp.File("dup.iso"), bytes);
        foreach (var r in new[]
        {
            Cli("verify", tmp.File("dup.iso")),
            Cli("customize", "--source", tmp.File("dup.iso"), "--out", tmp.File("c.zip"), "--timestamp", "1700000000"),
        })
        {
            Assert.True(r.Code == ExitCodes.InvalidInput, r.Err);
            Assert.Contains("IsoInvalid", r.Err);
            Assert.Contains("two entries named", r.Err);
            Assert.DoesNotContain("same key", r.Err);
        }
    }

    [Fact]
    public void A_76_byte_tgz_whose_pax_header_declares_8_GiB_is_an_input_error_for_vib_new_and_customize()
    {
        using var tmp = new TempDir();
        var tgz = tmp.File("bomb.tgz");
        File.WriteAllBytes(tgz, new HostileTar().Header("PaxHeaders/x", 'x', 8L << 30).ToTgz());
        foreach (var r in new[]
        {
            Cli("vib", "new", "--from", tgz, "--name", "x", "--version", "1.0-1", "--vendor", "v", "--out", tmp.File("x.vib")),
            Cli("customize", "--source", SampleDepot, "--add", tgz, "--out", tmp.File("c.zip"), "--timestamp", "1700000000"),
        })
        {
            Assert.True(r.Code == ExitCodes.InvalidInput, r.Err);
            Assert.Contains("PackageSourceInvalid", r.Err);
            Assert.Contains("8589934592", r.Err);
        }
        Assert.False(File.Exists(tmp.File("x.vib")));
        Assert.False(File.Exists(tmp.File("c.zip")));
    }
}
