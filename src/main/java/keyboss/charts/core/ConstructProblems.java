package keyboss.charts.core;

import keyboss.charts.model.Problem;

import java.util.ArrayList;
import java.util.List;
import software.constructs.IConstruct;
import software.constructs.IValidation;

/**
 * The input problems of one construct, held by the construct itself and attached to its node
 * as a validation ({@code node.addValidation}), so that {@code node.validate()} reports them as
 * every construct's validation does. {@link Problems#of} reads them back, as {@link Problem}s,
 * from every construct of an app at once.
 */
public final class ConstructProblems implements IValidation {

    private final IConstruct owner;
    private final List<Problem> problems = new ArrayList<>();

    public ConstructProblems(IConstruct owner) {
        this.owner = owner;
    }

    /** Records {@code problem}; the first one attaches this validation to the owner's node. */
    public synchronized void add(Problem problem) {
        if (problems.isEmpty()) {
            // Only a construct with problems pays the jsii call; a valid one has nothing to validate.
            owner.getNode().addValidation(this);
        }
        problems.add(problem);
    }

    public synchronized List<Problem> list() {
        return List.copyOf(problems);
    }

    public synchronized boolean isEmpty() {
        return problems.isEmpty();
    }

    /** The problems as the construct tree's validation reports them: one message each. */
    @Override
    public List<String> validate() {
        return list().stream().map(Problem::toString).toList();
    }
}
