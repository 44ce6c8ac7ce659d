package keyboss.charts.archfixture.low;

import keyboss.charts.archfixture.high.High;

/** A lower layer that imports a higher one: what {@code ArchitectureTest} must refuse. */
public final class Low {

    private Low() {
    }

    public static String name() {
        return High.class.getSimpleName();
    }
}
