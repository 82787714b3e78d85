package dev.mailroom;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;

@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
@ConfigurationPropertiesScan
@org.springframework.scheduling.annotation.EnableScheduling
public class MailroomApplication {

	public static void main(String[] args) {
		SpringApplication.run(MailroomApplication.class, args);
	}
}
