package org.asteriskcti.server.ivr;

import java.util.List;
import java.util.stream.Collectors;

/** The IVR files have problems; every one of them is listed, one per line. Nothing was loaded. */
public final class IvrLoadException extends Exception {

    private final List<IvrError> errors;

    public IvrLoadException(List<IvrError> errors) {
        super(errors.size() + " problem(s) in the IVR flows:\n"
                + errors.stream().map(IvrError::toString).collect(Collectors.joining("\n")));
        this.errors = List.copyOf(errors);
    }

    public List<IvrError> errors() {
        return errors;
    }
}
