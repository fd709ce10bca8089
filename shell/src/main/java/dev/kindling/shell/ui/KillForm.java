package dev.kindling.shell.ui;

/**
 * The "kill" button of a running job or stage: a POST form (the only request that changes state).
 * The server accepts it only with {@code kindling.ui.killEnabled} and the access token, which the
 * browser sends as its cookie (never written into the page).
 */
final class KillForm {

    private KillForm() {
    }

    /** A form posting {@code id} to {@code action}. */
    static String html(String action, int id) {
        return " <form class=\"kill\" method=\"post\" action=\"" + Html.escape(action) + "\">"
                + "<input type=\"hidden\" name=\"id\" value=\"" + id + "\">"
                + "<button type=\"submit\" title=\"cancel it\">(kill)</button></form>";
    }
}
