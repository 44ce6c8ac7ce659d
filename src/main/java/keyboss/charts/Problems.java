package keyboss.charts;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import software.constructs.IConstruct;

/**
 * Collects the input problems of every construct in an app, so that synthesis can refuse to
 * write anything and list every problem at once instead of stopping at the first.
 *
 * <p>Constructs call {@link #report}; {@link Synthesizer} calls {@link #of} and
 * {@link #throwIfAny}. A construct that reports a problem still builds with a safe value, so
 * that later checks run too.
 */
public final class Problems {

    private static final Map<IConstruct, Problems> BY_ROOT = Collections.synchronizedMap(new WeakHashMap<>());

    private final List<Problem> problems = new ArrayList<>();

    private Problems() {
    }

    /** The problems reported anywhere in {@code scope}'s construct tree. */
    public static Problems of(IConstruct scope) {
        return BY_ROOT.computeIfAbsent(scope.getNode().getRoot(), root -> new Problems());
    }

    /** Records a problem with {@code property} of the construct {@code scope}. */
    public static void report(IConstruct scope, String property, Object value, String allowed, String fix) {
        of(scope).add(new Problem(scope.getNode().getPath(), property, value, allowed, fix));
    }

    public synchronized void add(Problem problem) {
        problems.add(problem);
    }

    public synchronized List<Problem> list() {
        return List.copyOf(problems);
    }

    public synchronized int count() {
        return problems.size();
    }

    public boolean isEmpty() {
        return list().isEmpty();
    }

    /** Throws a {@link SynthesisException} listing every problem, if there is any. */
    public void throwIfAny() {
        List<Problem> all = list();
        if (!all.isEmpty()) {
            throw new SynthesisException(all);
        }
    }
}
