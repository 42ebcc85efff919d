package org.cartltfu.hub.security.authserver;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.cartltfu.hub.security.AuthSchema;
import org.cartltfu.hub.security.Role;
import org.cartltfu.hub.security.SecurityProperties;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * The people who log in (table {@code hub_user}): a hub clinician, a spoke coordinator, a registry analyst, each with
 * a role and a site like a client. Passwords are stored as bcrypt hashes behind Spring's delegating encoder (the
 * {@code {bcrypt}} prefix lets a later default take over hash by hash). The role and site travel as authorities
 * ({@code ROLE_SPOKE}, {@code SITE_vn-bachmai}) of Spring's own {@link User}, which the authorization server can
 * store with a refresh token and read back.
 */
@Component
public class HubUsers implements UserDetailsService {

    static final String ROLE_PREFIX = "ROLE_";
    static final String SITE_PREFIX = "SITE_";

    private final AuthSchema schema;
    private final SecurityProperties properties;
    private final PasswordEncoder passwords = PasswordEncoderFactories.createDelegatingPasswordEncoder();

    public HubUsers(AuthSchema schema, SecurityProperties properties) {
        this.schema = schema;
        this.properties = properties;
    }

    PasswordEncoder passwordEncoder() {
        return passwords;
    }

    /** Adds or replaces a user (a replaced user's lockout is cleared). */
    public void save(String username, String password, Role role, String site, String displayName) {
        if (username == null || !username.matches("[A-Za-z0-9._@-]{1,100}")) {
            throw new IllegalArgumentException("a username is 1 to 100 letters, digits or . _ @ -");
        }
        if (password == null || password.length() < 12) {
            throw new IllegalArgumentException("a password has at least 12 characters");
        }
        if (site == null || site.isBlank()) {
            throw new IllegalArgumentException("a user needs a site");
        }
        schema.jdbc().update("""
				INSERT INTO hub_user (username, password_hash, role, site, display_name) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (username) DO UPDATE SET password_hash = EXCLUDED.password_hash, role = EXCLUDED.role,
				site = EXCLUDED.site, display_name = EXCLUDED.display_name, failed_logins = 0, locked_until = NULL""", username, passwords.encode(password), role.name(), site, displayName);
    }

    @Override
    public UserDetails loadUserByUsername(String username) {
        List<UserDetails> found = schema.jdbc()
                .query(
                        "SELECT username, password_hash, role, site, locked_until FROM hub_user WHERE username = ?",
                        (row, i) -> {
                            Timestamp lockedUntil = row.getTimestamp("locked_until");
                            return User.withUsername(row.getString("username"))
                                    .password(row.getString("password_hash"))
                                    .authorities(
                                            ROLE_PREFIX + row.getString("role"), SITE_PREFIX + row.getString("site"))
                                    .accountLocked(lockedUntil != null
                                            && lockedUntil.toInstant().isAfter(Instant.now()))
                                    .build();
                        },
                        username);
        if (found.isEmpty()) {
            throw new UsernameNotFoundException("no such user");
        }
        return found.get(0);
    }

    /** Counts a wrong password; the account locks for {@code login.lockout} at {@code login.max-failures}. */
    void failed(String username) {
        schema.jdbc()
                .update(
                        """
				UPDATE hub_user SET failed_logins = failed_logins + 1,
				locked_until = CASE WHEN failed_logins + 1 >= ? THEN ? ELSE locked_until END WHERE username = ?""",
                        properties.login().maxFailures(),
                        Timestamp.from(Instant.now().plus(properties.login().lockout())),
                        username);
    }

    void succeeded(String username) {
        schema.jdbc().update("UPDATE hub_user SET failed_logins = 0, locked_until = NULL WHERE username = ?", username);
    }

    static Optional<Role> role(java.util.Collection<? extends GrantedAuthority> authorities) {
        return authority(authorities, ROLE_PREFIX).map(name -> Role.valueOf(name.toUpperCase(Locale.ROOT)));
    }

    static Optional<String> site(java.util.Collection<? extends GrantedAuthority> authorities) {
        return authority(authorities, SITE_PREFIX);
    }

    private static Optional<String> authority(
            java.util.Collection<? extends GrantedAuthority> authorities, String prefix) {
        return authorities.stream()
                .map(GrantedAuthority::getAuthority)
                .filter(name -> name.startsWith(prefix))
                .map(name -> name.substring(prefix.length()))
                .findFirst();
    }
}
