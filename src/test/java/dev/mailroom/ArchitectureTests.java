package dev.mailroom;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.RestController;

/** The rules of STYLE.md that Spring Modulith does not check by itself. */
@AnalyzeClasses(packages = "dev.mailroom", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

	@ArchTest
	static final ArchRule adaptersDoNotTouchRepositoriesOrTheDatabase = noClasses().that()
		.resideInAnyPackage("..api..", "..web..", "..mcp..")
		.and()
		.resideOutsideOfPackage("dev.mailroom.platform..")
		.should()
		.dependOnClassesThat()
		.areAnnotatedWith(Repository.class)
		.orShould()
		.dependOnClassesThat()
		.haveFullyQualifiedName("org.springframework.jdbc.core.simple.JdbcClient");

	@ArchTest
	static final ArchRule adaptersAreNotTransactional = noClasses().that()
		.resideInAnyPackage("..api..", "..web..", "..mcp..")
		.should()
		.beAnnotatedWith(Transactional.class)
		.andShould()
		.dependOnClassesThat()
		.haveFullyQualifiedName(Transactional.class.getName());

	@ArchTest
	static final ArchRule transactionsLiveOnServiceMethods = methods().that()
		.areAnnotatedWith(Transactional.class)
		.should()
		.beDeclaredInClassesThat()
		.resideOutsideOfPackages("..api..", "..web..", "..mcp..");

	@ArchTest
	static final ArchRule repositoriesAreNotPublic = classes().that()
		.areAnnotatedWith(Repository.class)
		.should()
		.notBePublic();

	@ArchTest
	static final ArchRule restControllersLiveInApiPackages = classes().that()
		.areAnnotatedWith(RestController.class)
		.should()
		.resideInAPackage("..api..");

	@ArchTest
	static final ArchRule ownCodeStaysOnJackson3 = noClasses().that()
		.resideInAPackage("dev.mailroom..")
		.should()
		.dependOnClassesThat()
		.resideInAPackage("com.fasterxml.jackson.databind..");
}
