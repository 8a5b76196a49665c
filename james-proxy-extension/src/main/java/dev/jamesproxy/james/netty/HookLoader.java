package dev.jamesproxy.james.netty;

import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.utils.ClassName;
import org.apache.james.utils.GuiceGenericLoader;

import dev.jamesproxy.james.ProxyHook;

/** Turns a {@code <hook class="...">} name into a hook instance. */
@FunctionalInterface
public interface HookLoader {

    /**
     * @throws ConfigurationException when the class is missing, cannot be built or is not a {@link ProxyHook}
     */
    ProxyHook load(String className) throws ConfigurationException;

    /**
     * Loads through James's {@link GuiceGenericLoader}: classes from {@code extensions-jars/} are found,
     * and constructors annotated with {@code @Inject} receive James services.
     */
    static HookLoader guice(GuiceGenericLoader loader) {
        return className -> {
            Object instance;
            try {
                instance = loader.instantiate(new ClassName(className));
            } catch (ClassNotFoundException e) {
                throw new ConfigurationException("hook class " + className + " was not found. Check the name, and put"
                    + " its jar in extensions-jars/.", e);
            } catch (RuntimeException e) {
                throw new ConfigurationException("hook class " + className + " could not be instantiated: " + e.getMessage()
                    + ". Give it a public no-argument constructor or an @Inject constructor taking James services.", e);
            }
            if (!(instance instanceof ProxyHook)) {
                throw new ConfigurationException("hook class " + className + " does not implement "
                    + ProxyHook.class.getName() + ". Implement that interface, or remove the <hook>.");
            }
            return (ProxyHook) instance;
        };
    }
}
