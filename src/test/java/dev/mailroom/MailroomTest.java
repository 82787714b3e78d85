package dev.mailroom;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;

/**
 * The whole application on a random port over one embedded PostgreSQL. Every test class using
 * exactly this annotation shares one Spring context (and so one database) per test JVM; tests
 * isolate themselves by creating their own organizations.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@ContextConfiguration(initializers = { TestDnsServer.Initializer.class, TestMailServer.Initializer.class })
public @interface MailroomTest {
}
