// TEMPORARY: stand-ins for APIs the packages branch is landing on main. Deleted before `git merge main`.
using System;
using System.IO;
using System.Xml;
using System.Xml.Linq;
using ESXiImageTools.Core.Packages;

namespace ESXiImageTools.Core.Internal
{
    public static class SafeXml
    {
        public static XDocument Load(Stream s, string source, long maxBytes = 16L << 20)
        {
            var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
            using var r = XmlReader.Create(s, settings);
            return XDocument.Load(r);
        }
    }
}

namespace ESXiImageTools.Core.Packages
{
    public static class VibDescriptorReader
    {
        public static Vib Parse(Stream xml, string source) => throw new NotImplementedException("pending packages branch");
        public static Vib FromElement(XElement vib, string source) => throw new NotImplementedException("pending packages branch");
    }

    public static class VibFile
    {
        public static Vib Open(string path) => throw new NotImplementedException("pending packages branch");
        public static Vib Read(Func<Stream> open, string location) => throw new NotImplementedException("pending packages branch");
    }
}
