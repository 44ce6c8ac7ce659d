package keyboss.charts.model;

import java.util.regex.Pattern;

/**
 * IP addresses and CIDRs as the API server's legacy fields accept them (Go's sloppy parser:
 * IPv4 parts may carry leading zeros; IPv6 in any standard notation), without name lookups.
 */
public final class IpAddresses {

    private static final Pattern IPV4 = Pattern.compile("^([0-9]{1,3})\\.([0-9]{1,3})\\.([0-9]{1,3})\\.([0-9]{1,3})$");
    private static final Pattern HEX_GROUP = Pattern.compile("^[0-9a-fA-F]{1,4}$");

    private IpAddresses() {
    }

    static boolean isIpv4(String value) {
        var m = IPV4.matcher(value);
        if (!m.matches()) {
            return false;
        }
        for (int i = 1; i <= 4; i++) {
            if (Integer.parseInt(m.group(i)) > 255) {
                return false;
            }
        }
        return true;
    }

    static boolean isIpv6(String value) {
        if (!value.contains(":")) {
            return false;
        }
        String text = value;
        int lastColon = text.lastIndexOf(':');
        if (text.substring(lastColon + 1).contains(".")) {
            // An embedded IPv4 address counts as the last two groups.
            if (!isIpv4(text.substring(lastColon + 1))) {
                return false;
            }
            text = text.substring(0, lastColon + 1) + "0:0";
        }
        int compressed = text.indexOf("::");
        if (compressed < 0) {
            return groups(text) == 8;
        }
        if (text.indexOf("::", compressed + 1) >= 0) {
            return false;
        }
        String left = text.substring(0, compressed);
        String right = text.substring(compressed + 2);
        int l = left.isEmpty() ? 0 : groups(left);
        int r = right.isEmpty() ? 0 : groups(right);
        return l >= 0 && r >= 0 && l + r <= 7;
    }

    /** The number of colon-separated hexadecimal groups of {@code text}, or -1 if one is not. */
    private static int groups(String text) {
        String[] parts = text.split(":", -1);
        for (String part : parts) {
            if (!HEX_GROUP.matcher(part).matches()) {
                return -1;
            }
        }
        return parts.length;
    }

    public static boolean isIp(String value) {
        return value != null && (isIpv4(value) || isIpv6(value));
    }

    /** Whether {@code value} is an address and a prefix length, such as 10.0.0.0/8. */
    public static boolean isCidr(String value) {
        if (value == null) {
            return false;
        }
        int slash = value.indexOf('/');
        if (slash < 0 || !value.substring(slash + 1).matches("[0-9]{1,3}")) {
            return false;
        }
        String address = value.substring(0, slash);
        int prefix = Integer.parseInt(value.substring(slash + 1));
        return isIpv4(address) ? prefix <= 32 : isIpv6(address) && prefix <= 128;
    }
}
