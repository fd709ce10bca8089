package dev.kindling.shell.ui;

import java.util.List;

/** The applications a UI server shows: the one live application, or every log of a history directory. */
interface UiApps {

    /** The applications, newest first. */
    List<UiApp> list();

    /** The application with this id, or null. */
    UiApp get(String id);

    /** Whether these are replayed logs (the server then has an application list page and no /metrics). */
    boolean history();

    /** The applications of one live context. */
    static UiApps live(UiApp app) {
        return new UiApps() {
            @Override
            public List<UiApp> list() {
                return List.of(app);
            }

            @Override
            public UiApp get(String id) {
                return app.id().equals(id) ? app : null;
            }

            @Override
            public boolean history() {
                return false;
            }
        };
    }
}
