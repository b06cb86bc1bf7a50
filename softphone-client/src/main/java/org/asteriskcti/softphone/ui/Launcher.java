package org.asteriskcti.softphone.ui;

import javafx.application.Application;

/**
 * Entry point of the runnable jar. A plain class (not an Application) so the JavaFX jars on the class path are
 * enough. Options: {@code --server=http://cti:8080 --user=alice}.
 */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) {
        Application.launch(DeskApp.class, args);
    }
}
