package org.cartltfu.hub.security.authserver;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;

/**
 * Password login with lockout: Spring's {@link DaoAuthenticationProvider} checks the password (an unknown user and a
 * wrong password fail alike); each wrong password is counted, a success resets the count, and a locked account is
 * refused even with the right password. Every refusal goes to the audit log.
 */
class LockingAuthenticationProvider implements AuthenticationProvider {

    private static final Logger audit = LoggerFactory.getLogger("org.cartltfu.hub.audit.login");

    private final HubUsers users;
    private final DaoAuthenticationProvider passwords;

    LockingAuthenticationProvider(HubUsers users) {
        this.users = users;
        this.passwords = new DaoAuthenticationProvider(users);
        this.passwords.setPasswordEncoder(users.passwordEncoder());
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        String username = authentication.getName();
        try {
            Authentication result = passwords.authenticate(authentication);
            users.succeeded(username);
            audit.info("login succeeded: user={}", username);
            return result;
        } catch (BadCredentialsException e) {
            users.failed(username);
            audit.warn("login refused: user={} reason=bad credentials", username);
            throw e;
        } catch (LockedException e) {
            audit.warn("login refused: user={} reason=account locked", username);
            throw e;
        }
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
