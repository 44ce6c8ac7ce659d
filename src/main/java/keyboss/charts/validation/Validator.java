package keyboss.charts.validation;

import keyboss.charts.model.Manifest;
import keyboss.charts.model.Problem;
import keyboss.charts.model.SecretContract;

import java.util.ArrayList;
import java.util.List;

/**
 * Every check the library makes on a set of manifests of one cluster: the strict schema, what
 * the API server rejects in each object (and duplicate objects), the cluster profile and the
 * references between objects. Synthesis runs it on what it is about to
 * write; {@code bin/validate} runs it on any folder of manifests.
 */
public final class Validator {

    private Validator() {
    }

    /** All problems of {@code manifests} for {@code profile}; Secrets named in {@code secrets} exist outside the manifests. */
    public static List<Problem> check(ClusterProfile profile, List<Manifest> manifests, List<SecretContract> secrets) {
        List<Problem> problems = new ArrayList<>(SchemaValidator.check(profile.name(), manifests));
        problems.addAll(ApiServerRules.check(profile.name(), manifests));
        problems.addAll(ClusterRules.check(profile, manifests));
        problems.addAll(CrossReferences.check(profile.name(), manifests, secrets));
        return problems;
    }
}
