using System.Threading;
using ESXiImageTools.Core.Depots;

namespace ESXiImageTools.Core.Profiles;

/// <summary>
/// <see cref="ProfileBuilder.Build"/> over a <see cref="DepotSession"/>: profiles and packages come from the
/// session's depots, and file items (.vib, bundle .zip, folders) are opened with <see cref="DepotReader"/>.
/// For <c>esximage validate</c>/<c>build</c> and the cmdlets.
/// </summary>
public static class SessionProfileBuilder
{
    public static EditResult Build(ProfileBuildRequest request, DepotSession session, ProfileEditor editor = null,
                                   DepotOptions options = null, CancellationToken cancellationToken = default)
        => ProfileBuilder.Build(request, session.Profiles, session.Packages,
                                path => DepotReader.Open(path, options ?? session.Options, null, cancellationToken).Packages, editor);
}
