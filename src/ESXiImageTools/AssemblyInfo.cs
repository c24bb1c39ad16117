using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("ESXiImageTools.Tests")]
