package keyboss.charts.env;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where Alertmanager sends a route's notifications. Credentials and URLs that carry tokens stay
 * in the Secret contract: the configuration names a file ({@code url_file},
 * {@code auth_password_file}) that Alertmanager reads from the Secret, mounted read-only at
 * {@link #SECRETS_DIR} (so Argo CD syncs the configuration and self-heal cannot undo it,
 * while the value never reaches git).
 */
public sealed interface AlertReceiver {

    /** Where Alertmanager's container mounts the Secret keys its receivers read. */
    String SECRETS_DIR = "/etc/alertmanager/secrets";

    /** The Secret keys this receiver reads. */
    List<String> secretKeys();

    /** The Alertmanager receiver body (without its name). */
    Map<String, Object> toAlertmanager();

    /**
     * Alertmanager's JSON webhook to the URL held in Secret key {@code urlKey} (a team's chat
     * bridge, an incident tool, or on a development cluster a local listener); resolved
     * alerts are sent too.
     */
    static AlertReceiver webhook(String urlKey) {
        return new Webhook(urlKey);
    }

    /**
     * A Slack-compatible chat webhook (Slack, Mattermost, Rocket.Chat incoming webhooks) at the
     * URL in Secret key {@code urlKey}, posting to {@code channel}.
     */
    static AlertReceiver chat(String urlKey, String channel) {
        return new Chat(urlKey, channel);
    }

    /**
     * E-mail to {@code to} through {@code smarthost} (host:port, STARTTLS required), logging in
     * as {@code username} with the password in Secret key {@code passwordKey}.
     */
    static AlertReceiver email(String to, String from, String smarthost, String username, String passwordKey) {
        return new Email(to, from, smarthost, username, passwordKey);
    }

    record Webhook(String urlKey) implements AlertReceiver {
        public List<String> secretKeys() {
            return List.of(urlKey);
        }

        public Map<String, Object> toAlertmanager() {
            return Map.of("webhook_configs", List.of(Map.of("url_file", SECRETS_DIR + "/" + urlKey, "send_resolved", true)));
        }
    }

    record Chat(String urlKey, String channel) implements AlertReceiver {
        public List<String> secretKeys() {
            return List.of(urlKey);
        }

        public Map<String, Object> toAlertmanager() {
            Map<String, Object> slack = new LinkedHashMap<>();
            slack.put("api_url_file", SECRETS_DIR + "/" + urlKey);
            slack.put("channel", channel);
            slack.put("send_resolved", true);
            slack.put("title", "[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }} ({{ .CommonLabels.severity }})");
            slack.put("text", "{{ range .Alerts }}{{ .Annotations.summary }}\n{{ .Annotations.description }}\n{{ end }}");
            return Map.of("slack_configs", List.of(slack));
        }
    }

    record Email(String to, String from, String smarthost, String username, String passwordKey) implements AlertReceiver {
        public List<String> secretKeys() {
            return List.of(passwordKey);
        }

        public Map<String, Object> toAlertmanager() {
            Map<String, Object> email = new LinkedHashMap<>();
            email.put("to", to);
            email.put("from", from);
            email.put("smarthost", smarthost);
            email.put("auth_username", username);
            email.put("auth_password_file", SECRETS_DIR + "/" + passwordKey);
            email.put("require_tls", true);
            email.put("send_resolved", true);
            return Map.of("email_configs", List.of(email));
        }
    }
}
