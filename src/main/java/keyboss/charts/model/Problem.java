package keyboss.charts.model;

/**
 * One thing wrong with the input of a construct: where (the construct path), what (the
 * property and the value given), what is allowed and how to fix it.
 */
public record Problem(String path, String property, Object value, String allowed, String fix) {

    @Override
    public String toString() {
        return "[" + path + "] " + property + " = " + value + ": " + allowed + ". Fix: " + fix;
    }
}
