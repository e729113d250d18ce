package dev.libos.guest;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Map;

/**
 * Adds variables to the JVM's own environment, so {@code System.getenv(name)} and child
 * processes see them. The JVM reads its environment once, into
 * {@code java.lang.ProcessEnvironment.theEnvironment}; {@code System.getenv} returns read-only
 * views of that map, so entries put into it (as its own {@code Variable}/{@code Value} keys and
 * values) are seen everywhere. Needs {@code --add-opens java.base/java.lang}, which the image's
 * command line has; the native environment (getenv(3)) is not changed.
 */
final class GuestEnvironment {
    private GuestEnvironment() {
    }

    /**
     * Puts {@code variables} into the environment.
     *
     * @throws ReflectiveOperationException when this JDK's ProcessEnvironment is not as expected
     *         or java.lang is not open
     */
    static void putAll(Map<String, String> variables) throws ReflectiveOperationException {
        if (variables.isEmpty()) {
            return;
        }
        Class<?> environment = Class.forName("java.lang.ProcessEnvironment");
        Field field = environment.getDeclaredField("theEnvironment");
        field.setAccessible(true);
        @SuppressWarnings("unchecked")
        Map<Object, Object> map = (Map<Object, Object>) field.get(null);
        Method variable = Class.forName("java.lang.ProcessEnvironment$Variable").getDeclaredMethod("valueOf", String.class);
        Method value = Class.forName("java.lang.ProcessEnvironment$Value").getDeclaredMethod("valueOf", String.class);
        variable.setAccessible(true);
        value.setAccessible(true);
        for (Map.Entry<String, String> e : variables.entrySet()) {
            map.put(variable.invoke(null, e.getKey()), value.invoke(null, e.getValue()));
        }
    }
}
