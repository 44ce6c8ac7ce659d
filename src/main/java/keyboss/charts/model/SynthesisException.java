package keyboss.charts.model;

import java.util.List;
import java.util.stream.Collectors;

/** Synthesis refused: the input has problems. The message lists all of them. */
public final class SynthesisException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<Problem> problems;

    public SynthesisException(List<Problem> problems) {
        super(problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + " found; nothing was written:\n"
                + problems.stream().map(p -> "  - " + p).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
