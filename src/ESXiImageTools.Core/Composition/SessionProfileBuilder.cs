using System.Linq;
using System.Threading;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Profiles;

namespace ESXiImageTools.Core.Composition;

/// <summary>
/// <see cref="ProfileBuilder.Build"/> over a <see cref="DepotSession"/>: profiles and packages come from the
/// session's depots, and file items (.vib, bundle .zip, folders) are opened with <see cref="DepotReader"/>.
/// For <c>esximage validate</c>/<c>build</c> and the cmdlets; a VMware software spec in the request is resolved here.
/// </summary>
public static class SessionProfileBuilder
{
    /// <summary>
    /// Builds <paramref name="request"/> from the session: a software spec is resolved first (base image, components),
    /// and the result is judged against the session's component bulletins.
    /// </summary>
    public static EditResult Build(ProfileBuildRequest request, DepotSession session, ProfileEditor editor = null,
                                   DepotOptions options = null, CancellationToken cancellationToken = default)
    {
        var profiles = session.Profiles;
        if (request.SoftwareSpec != null) request = SoftwareSpecResolver.Resolve(request, profiles, session.Components);
        request = request with { ComponentBulletins = request.ComponentBulletins.Concat(session.Bulletins).ToList() };
        return ProfileBuilder.Build(request, profiles, session.Packages,
                                    path => DepotReader.Open(path, options ?? session.Options, null, cancellationToken).Packages, editor);
    }
}
