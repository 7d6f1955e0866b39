//! IP ranges in CIDR notation and sets of them: allowlists and trusted proxies.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

use crate::error::ConfigError;

/// A range of IP addresses in CIDR notation, such as `192.30.252.0/22` or `2a0a:a440::/29`.
///
/// A bare address is a range of one (`/32` or `/128`). The address must be the range's first
/// one: `10.0.0.1/8` is refused as a likely typo. IPv4-mapped IPv6 addresses
/// (`::ffff:192.0.2.1`, as dual-stack sockets report IPv4 peers) match the IPv4 ranges.
///
/// # Example
///
/// ```
/// use hookwarden::access::IpRange;
///
/// let range: IpRange = "192.30.252.0/22".parse()?;
/// assert!(range.contains("192.30.255.255".parse()?));
/// assert!(range.contains("::ffff:192.30.252.1".parse()?));
/// assert!(!range.contains("192.30.251.255".parse()?));
/// assert_eq!("10.0.0.1/8".parse::<IpRange>().unwrap_err().reason(), "invalid_ip_range");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct IpRange {
    network: IpAddr,
    prefix: u8,
}

impl IpRange {
    /// The range of the addresses sharing the first `prefix` bits of `network`.
    ///
    /// # Errors
    ///
    /// [`ConfigError::InvalidIpRange`] when `prefix` is longer than the address, or `network`
    /// has bits set after it.
    pub fn new(network: IpAddr, prefix: u8) -> Result<Self, ConfigError> {
        Self::checked(network, prefix)
            .map_err(|problem| ConfigError::InvalidIpRange { range: format!("{network}/{prefix}"), problem })
    }

    fn checked(network: IpAddr, prefix: u8) -> Result<Self, &'static str> {
        if prefix > bits(network) {
            return Err("the prefix is longer than the address");
        }
        // `::ffff:a.b.c.d/n` is an IPv4 range; peers are matched in their IPv4 form.
        let (network, prefix) = match network {
            IpAddr::V6(v6) if prefix >= 96 => match v6.to_ipv4_mapped() {
                Some(v4) => (IpAddr::V4(v4), prefix - 96),
                None => (network, prefix),
            },
            _ => (network, prefix),
        };
        if masked(network, prefix) != network {
            return Err("bits are set after the prefix: give the range's first address, such as 10.0.0.0/8");
        }
        Ok(Self { network, prefix })
    }

    /// Whether `addr` is in the range.
    pub fn contains(&self, addr: IpAddr) -> bool {
        let addr = addr.to_canonical();
        let same_family =
            matches!((self.network, addr), (IpAddr::V4(_), IpAddr::V4(_)) | (IpAddr::V6(_), IpAddr::V6(_)));
        same_family && masked(addr, self.prefix) == self.network
    }

    /// The range's first address.
    pub fn network(&self) -> IpAddr {
        self.network
    }

    /// How many leading bits the addresses of the range share.
    pub fn prefix_len(&self) -> u8 {
        self.prefix
    }
}

/// The number of bits in an address of `addr`'s family.
fn bits(addr: IpAddr) -> u8 {
    match addr {
        IpAddr::V4(_) => 32,
        IpAddr::V6(_) => 128,
    }
}

/// `addr` with every bit after the first `prefix` cleared.
fn masked(addr: IpAddr, prefix: u8) -> IpAddr {
    match addr {
        IpAddr::V4(v4) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
            IpAddr::V4(Ipv4Addr::from(u32::from(v4) & mask))
        }
        IpAddr::V6(v6) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
            IpAddr::V6(Ipv6Addr::from(u128::from(v6) & mask))
        }
    }
}

/// A single address: a range of one.
impl From<IpAddr> for IpRange {
    fn from(addr: IpAddr) -> Self {
        let addr = addr.to_canonical();
        Self { network: addr, prefix: bits(addr) }
    }
}

impl FromStr for IpRange {
    type Err = ConfigError;

    /// `address/prefix`, or a bare address.
    fn from_str(text: &str) -> Result<Self, ConfigError> {
        let text = text.trim();
        let invalid = |problem| ConfigError::InvalidIpRange { range: text.to_owned(), problem };
        let (addr, prefix) = match text.split_once('/') {
            Some((addr, prefix)) => (addr, Some(prefix)),
            None => (text, None),
        };
        let addr: IpAddr = addr.parse().map_err(|_| invalid("not an IPv4 or IPv6 address"))?;
        let prefix = match prefix {
            None => bits(addr),
            Some(digits) if (1..=3).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) => {
                digits.parse().map_err(|_| invalid("the prefix is longer than the address"))?
            }
            Some(_) => return Err(invalid("the prefix length is not a number")),
        };
        match addr {
            // A bare mapped address is the IPv4 address it maps.
            IpAddr::V6(_) if prefix == 128 => Ok(Self::from(addr)),
            _ => Self::checked(addr, prefix).map_err(invalid),
        }
    }
}

impl fmt::Display for IpRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

/// The CIDR notation, as for `Display`.
impl fmt::Debug for IpRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// A set of [`IpRange`]s: an allowlist, or the addresses of trusted proxies.
///
/// An empty set contains nothing: as an allowlist, it lets nobody in.
///
/// # Example
///
/// ```
/// use hookwarden::access::IpRanges;
///
/// // Stripe's webhook addresses, say, from configuration.
/// let ranges: IpRanges = "3.18.12.63, 3.130.192.231 2600:1f18::/32".parse()?;
/// assert_eq!(ranges.len(), 3);
/// assert!(ranges.contains("3.130.192.231".parse()?));
/// assert!(ranges.contains("2600:1f18:1234::1".parse()?));
/// assert!(!ranges.contains("3.18.12.64".parse()?));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct IpRanges {
    ranges: Vec<IpRange>,
}

impl IpRanges {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Parses every range in `ranges` (see [`IpRange`]).
    ///
    /// # Errors
    ///
    /// [`ConfigError::InvalidIpRange`] for the first range that does not parse.
    pub fn parse<I>(ranges: I) -> Result<Self, ConfigError>
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        ranges
            .into_iter()
            .map(|range| range.as_ref().parse())
            .collect::<Result<_, _>>()
            .map(|ranges| Self { ranges })
    }

    /// Whether any range contains `addr`.
    pub fn contains(&self, addr: IpAddr) -> bool {
        self.ranges.iter().any(|range| range.contains(addr))
    }

    /// Whether the set has no range.
    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    /// How many ranges the set has.
    pub fn len(&self) -> usize {
        self.ranges.len()
    }

    /// The ranges, in the order they were given.
    pub fn iter(&self) -> std::slice::Iter<'_, IpRange> {
        self.ranges.iter()
    }
}

/// Ranges separated by commas or whitespace, as they come from an environment variable.
impl FromStr for IpRanges {
    type Err = ConfigError;

    fn from_str(text: &str) -> Result<Self, ConfigError> {
        Self::parse(text.split(|c: char| c == ',' || c.is_whitespace()).filter(|range| !range.is_empty()))
    }
}

impl FromIterator<IpRange> for IpRanges {
    fn from_iter<I: IntoIterator<Item = IpRange>>(iter: I) -> Self {
        Self { ranges: iter.into_iter().collect() }
    }
}

impl Extend<IpRange> for IpRanges {
    fn extend<I: IntoIterator<Item = IpRange>>(&mut self, iter: I) {
        self.ranges.extend(iter);
    }
}

impl From<IpRange> for IpRanges {
    fn from(range: IpRange) -> Self {
        Self { ranges: vec![range] }
    }
}

impl From<Vec<IpRange>> for IpRanges {
    fn from(ranges: Vec<IpRange>) -> Self {
        Self { ranges }
    }
}

impl<const N: usize> From<[IpRange; N]> for IpRanges {
    fn from(ranges: [IpRange; N]) -> Self {
        Self { ranges: ranges.into() }
    }
}

impl<'a> IntoIterator for &'a IpRanges {
    type Item = &'a IpRange;
    type IntoIter = std::slice::Iter<'a, IpRange>;

    fn into_iter(self) -> Self::IntoIter {
        self.ranges.iter()
    }
}

impl fmt::Debug for IpRanges {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(&self.ranges).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::testing::ip;

    #[test]
    fn ranges_parse_and_match_both_families() {
        let v4: IpRange = "192.30.252.0/22".parse().unwrap();
        assert!(v4.contains(ip("192.30.252.0")) && v4.contains(ip("192.30.255.255")));
        assert!(!v4.contains(ip("192.30.251.255")) && !v4.contains(ip("192.30.0.0")));
        assert!(!v4.contains(ip("::1")), "families never mix");
        let v6: IpRange = "2a0a:a440::/29".parse().unwrap();
        assert!(v6.contains(ip("2a0a:a447:ffff::1")) && !v6.contains(ip("2a0a:a448::")));
        assert!(!v6.contains(ip("10.0.0.1")));
        let host: IpRange = " 203.0.113.7 ".parse().unwrap();
        assert_eq!((host.network(), host.prefix_len()), (ip("203.0.113.7"), 32));
        assert!(host.contains(ip("203.0.113.7")) && !host.contains(ip("203.0.113.8")));
        let everything: IpRange = "0.0.0.0/0".parse().unwrap();
        assert!(everything.contains(ip("255.255.255.255")) && !everything.contains(ip("::")));
        assert!("::/0".parse::<IpRange>().unwrap().contains(ip("2001:db8::1")));
        assert_eq!("2001:db8::/32".parse::<IpRange>().unwrap().to_string(), "2001:db8::/32");
    }

    #[test]
    fn ipv4_mapped_addresses_are_their_ipv4_address() {
        let range: IpRange = "192.0.2.0/24".parse().unwrap();
        assert!(range.contains(ip("::ffff:192.0.2.9")));
        let mapped: IpRange = "::ffff:192.0.2.0/120".parse().unwrap();
        assert_eq!(mapped, range);
        assert_eq!("::ffff:192.0.2.9".parse::<IpRange>().unwrap(), IpRange::from(ip("192.0.2.9")));
    }

    #[test]
    fn bad_ranges_are_refused_with_the_range_named() {
        for bad in [
            "",
            "10.0.0.0/",
            "10.0.0.0/33",
            "::/129",
            "10.0.0.1/8",
            "10.0.0.0/+8",
            "10.0.0.0/0008",
            "10.0.0.0/8/8",
            "10.0.0",
            "010.0.0.0/8",
            "example.com",
            "fe80::1%eth0",
            "10.0.0.0/ 8",
        ] {
            let error = bad.parse::<IpRange>().unwrap_err();
            assert_eq!(error.reason(), "invalid_ip_range", "{bad}");
            assert!(
                matches!(&error, ConfigError::InvalidIpRange { range, .. } if range == bad.trim()),
                "{error}"
            );
        }
        let error = IpRange::new(ip("10.0.0.1"), 8).unwrap_err();
        assert_eq!(
            error.to_string(),
            "`10.0.0.1/8` is not an IP range: bits are set after the prefix: give the range's first address, such as 10.0.0.0/8"
        );
        assert!(IpRanges::parse(["10.0.0.0/8", "nope"]).is_err());
    }

    #[test]
    fn range_sets_parse_lists_and_an_empty_set_contains_nothing() {
        let set: IpRanges = "10.0.0.0/8,192.168.0.0/16\n  2001:db8::/32".parse().unwrap();
        assert_eq!(set.len(), 3);
        assert_eq!(format!("{set:?}"), "[10.0.0.0/8, 192.168.0.0/16, 2001:db8::/32]");
        assert!(set.contains(ip("192.168.4.4")) && !set.contains(ip("172.16.0.1")));
        assert!(IpRanges::new().is_empty() && !IpRanges::new().contains(ip("127.0.0.1")));
        let collected: IpRanges = [ip("127.0.0.1"), ip("::1")].into_iter().map(IpRange::from).collect();
        assert!(collected.contains(ip("::1")) && collected.iter().count() == 2);
    }
}
