package keyboss.charts.core;

import keyboss.charts.model.Problem;
import keyboss.charts.model.SynthesisException;
import keyboss.charts.cli.Synthesizer;

import java.util.ArrayList;
import java.util.List;
import software.constructs.IConstruct;

/**
 * The input problems of every construct in an app, so that synthesis can refuse to write
 * anything and list every problem at once instead of stopping at the first.
 *
 * <p>Constructs call {@link #report}: the problem is kept by the construct (a {@link ProblemHolder}
 * such as a {@link Component} or an {@link EnvironmentChart}, each holding its
 * {@link ConstructProblems}) and attached to its node as a validation. {@link Synthesizer} calls {@link #of}, which walks the construct tree and
 * collects every construct's problems, then {@link #throwIfAny}. A construct that reports a
 * problem builds nothing it cannot build safely, and its accessors stay safe to call, so that
 * later checks run too.
 */
public final class Problems {

    private final List<Problem> problems;

    private Problems(List<Problem> problems) {
        this.problems = List.copyOf(problems);
    }

    /**
     * The problems reported anywhere in {@code scope}'s app: under each top-level construct that
     * is a {@link ProblemRegistry} (a chart), of the holders it knows, in construction order;
     * under any other, of every holder in its tree. (Reading a registry costs no jsii call;
     * walking a tree costs one per construct.)
     */
    public static Problems of(IConstruct scope) {
        IConstruct root = scope.getNode().getRoot();
        List<IConstruct> tops = root instanceof ProblemRegistry ? List.of(root) : root.getNode().getChildren();
        List<Problem> all = new ArrayList<>();
        for (IConstruct top : tops) {
            if (top instanceof ProblemRegistry registry) {
                registry.problemHolders().forEach(h -> all.addAll(h.problems().list()));
                continue;
            }
            for (IConstruct c : top.getNode().findAll()) {
                ConstructProblems own = holderOrNull(c);
                if (own != null) {
                    all.addAll(own.list());
                }
            }
        }
        return new Problems(all);
    }

    /**
     * Records a problem with {@code property} of the construct {@code scope}, on {@code scope}
     * or, for a construct that holds no problems of its own (a plain Construct), on the nearest
     * {@link ProblemHolder} above it; the problem names {@code scope}'s path either way.
     */
    public static void report(IConstruct scope, String property, Object value, String allowed, String fix) {
        Problem problem = new Problem(scope.getNode().getPath(), property, value, allowed, fix);
        for (IConstruct c = scope; c != null; c = c.getNode().getScope()) {
            ConstructProblems own = holderOrNull(c);
            if (own != null) {
                own.add(problem);
                return;
            }
        }
        throw new IllegalStateException(scope.getNode().getPath() + " is not inside an EnvironmentChart, so its"
                + " problem cannot be reported: " + problem);
    }

    private static ConstructProblems holderOrNull(IConstruct c) {
        return c instanceof ProblemHolder holder ? holder.problems() : null;
    }

    public List<Problem> list() {
        return problems;
    }

    public int count() {
        return problems.size();
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    /** Throws a {@link SynthesisException} listing every problem, if there is any. */
    public void throwIfAny() {
        if (!problems.isEmpty()) {
            throw new SynthesisException(problems);
        }
    }
}
