package org.cartltfu.hub.config;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Refuses a JSON or XML body that is cheap to send but costly to parse, before HAPI parses it: a number literal
 * with a huge exponent ({@code 1e999999} kept a thread busy for many seconds, because HAPI's {@code DecimalType}
 * expands it to a million-digit BigDecimal), deep nesting, huge arrays, strings or element counts. One streaming pass
 * over the body HAPI has already read (and {@link RequestSizeLimitFilter} has bounded); a malformed body is left to
 * HAPI's parser, which names the syntax error.
 */
@Interceptor
public class InputLimits {

    /** A number literal, as JSON writes it and as FHIR XML writes a decimal in a {@code value} attribute. */
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(?:\\.\\d+)?(?:[eE]([+-]?\\d+))?");

    private static final String WOODSTOX_MAX_ATTRIBUTE_SIZE = "com.ctc.wstx.maxAttributeSize";

    private final HubProperties.Limits limits;
    private final JsonFactory json;
    private final XMLInputFactory xml;

    public InputLimits(HubProperties.Limits limits) {
        this.limits = limits;
        // Jackson's own ceilings lifted: ours apply (the body is bounded by max-request-size), named and located.
        this.json = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(Integer.MAX_VALUE)
                        .maxStringLength(Integer.MAX_VALUE)
                        .maxNumberLength(Integer.MAX_VALUE)
                        .build())
                .build();
        this.xml = XMLInputFactory.newFactory();
        xml.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        xml.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        xml.setProperty(XMLInputFactory.IS_COALESCING, true);
        // Woodstox's (HAPI's StAX) attribute ceiling lifted too, for the same reason.
        if (xml.isPropertySupported(WOODSTOX_MAX_ATTRIBUTE_SIZE)) {
            xml.setProperty(WOODSTOX_MAX_ATTRIBUTE_SIZE, Integer.MAX_VALUE);
        }
    }

    @Hook(value = Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED, order = HookOrder.INPUT_LIMITS)
    public void check(RequestDetails request) {
        String contentType = request.getHeader(Constants.HEADER_CONTENT_TYPE);
        if (contentType != null) {
            check(contentType, request.loadRequestContents());
        }
    }

    /** Checks a body of this content type (JSON or XML; anything else passes). */
    void check(String contentType, byte[] body) {
        if (body == null || body.length == 0) {
            return;
        }
        String type = contentType.toLowerCase(Locale.ROOT);
        if (type.contains("json")) {
            scanJson(body);
        } else if (type.contains("xml")) {
            scanXml(body);
        }
    }

    private void scanJson(byte[] body) {
        Deque<int[]> arrays = new ArrayDeque<>();
        long elements = 0;
        try (JsonParser parser = json.createParser(body)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                switch (token) {
                    case START_ARRAY -> {
                        countItem(arrays, parser);
                        arrays.push(new int[1]);
                        checkDepth(parser.getParsingContext().getNestingDepth(), parser);
                    }
                    case START_OBJECT -> {
                        countItem(arrays, parser);
                        arrays.push(new int[] {-1});
                        checkDepth(parser.getParsingContext().getNestingDepth(), parser);
                    }
                    case END_ARRAY, END_OBJECT -> arrays.pop();
                    case FIELD_NAME -> checkString(parser.getTextLength(), parser);
                    case VALUE_STRING -> {
                        countItem(arrays, parser);
                        checkString(parser.getTextLength(), parser);
                        checkNumber(parser.getText(), false, where(parser));
                    }
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                        countItem(arrays, parser);
                        checkNumber(parser.getText(), true, where(parser));
                    }
                    default -> countItem(arrays, parser);
                }
                if (token != JsonToken.FIELD_NAME
                        && token != JsonToken.END_ARRAY
                        && token != JsonToken.END_OBJECT
                        && ++elements > limits.maxElements()) {
                    throw refused(
                            "it has more than " + limits.maxElements() + " elements", "max-elements", where(parser));
                }
            }
        } catch (JsonProcessingException e) {
            // Malformed: HAPI's parser says what is wrong and where.
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Counts one more item of the innermost array (an object's members are not counted: FHIR names them). */
    private void countItem(Deque<int[]> arrays, JsonParser parser) {
        int[] count = arrays.peek();
        if (count != null && count[0] >= 0 && ++count[0] > limits.maxArrayLength()) {
            throw refused(
                    "an array has more than " + limits.maxArrayLength() + " items", "max-array-length", where(parser));
        }
    }

    private void checkDepth(int depth, JsonParser parser) {
        if (depth > limits.maxDepth()) {
            throw refused("it nests deeper than " + limits.maxDepth() + " levels", "max-depth", where(parser));
        }
    }

    private void checkString(int length, JsonParser parser) {
        if (length > limits.maxStringLength()) {
            throw refused(
                    "a string has " + length + " characters, more than " + limits.maxStringLength(),
                    "max-string-length",
                    where(parser));
        }
    }

    private static String where(JsonParser parser) {
        return " at " + parser.getParsingContext().pathAsPointer()
                + " (line " + parser.currentTokenLocation().getLineNr()
                + ", column " + parser.currentTokenLocation().getColumnNr() + ")";
    }

    /**
     * A number beyond the limits; also a string that is exactly such a number (FHIR XML writes decimals as strings,
     * and HAPI reads a JSON string where a decimal belongs as one).
     */
    private void checkNumber(String text, boolean literal, String where) {
        if (text.length() > limits.maxNumberLength()) {
            if (literal) {
                throw refused(
                        "a number has " + text.length() + " characters, more than " + limits.maxNumberLength(),
                        "max-number-length",
                        where);
            }
            return;
        }
        Matcher number = NUMBER.matcher(text);
        if (number.matches() && number.group(1) != null) {
            String exponent = number.group(1);
            if (exponent.replaceFirst("^[+-]", "").length() > 9
                    || Math.abs(Integer.parseInt(exponent)) > limits.maxNumberExponent()) {
                throw refused(
                        "the number " + text + " has an exponent beyond ±" + limits.maxNumberExponent(),
                        "max-number-exponent",
                        where);
            }
        }
    }

    private void scanXml(byte[] body) {
        XMLStreamReader reader = null;
        Deque<String> path = new ArrayDeque<>();
        Deque<int[]> children = new ArrayDeque<>();
        long elements = 0;
        try {
            reader = xml.createXMLStreamReader(new ByteArrayInputStream(body));
            while (reader.hasNext()) {
                int event = reader.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    int[] siblings = children.peek();
                    path.addLast(reader.getLocalName());
                    if (siblings != null && ++siblings[0] > limits.maxArrayLength()) {
                        throw refused(
                                "an element has more than " + limits.maxArrayLength() + " children",
                                "max-array-length",
                                where(path, reader));
                    }
                    children.push(new int[1]);
                    if (path.size() > limits.maxDepth()) {
                        throw refused(
                                "it nests deeper than " + limits.maxDepth() + " levels",
                                "max-depth",
                                where(path, reader));
                    }
                    if (++elements > limits.maxElements()) {
                        throw refused(
                                "it has more than " + limits.maxElements() + " elements",
                                "max-elements",
                                where(path, reader));
                    }
                    for (int i = 0; i < reader.getAttributeCount(); i++) {
                        String value = reader.getAttributeValue(i);
                        if (value.length() > limits.maxStringLength()) {
                            throw refused(
                                    "an attribute has " + value.length() + " characters, more than "
                                            + limits.maxStringLength(),
                                    "max-string-length",
                                    where(path, reader));
                        }
                        checkNumber(value, false, where(path, reader));
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    path.removeLast();
                    children.pop();
                } else if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA) {
                    if (reader.getTextLength() > limits.maxStringLength()) {
                        throw refused(
                                "a text has " + reader.getTextLength() + " characters, more than "
                                        + limits.maxStringLength(),
                                "max-string-length",
                                where(path, reader));
                    }
                }
            }
        } catch (XMLStreamException e) {
            // Malformed: HAPI's parser says what is wrong and where.
        } finally {
            if (reader != null) {
                try {
                    reader.close();
                } catch (XMLStreamException e) {
                    // nothing held open: the body is in memory
                }
            }
        }
    }

    private static String where(Deque<String> path, XMLStreamReader reader) {
        return " at " + String.join("/", path) + " (line "
                + reader.getLocation().getLineNumber() + ", column "
                + reader.getLocation().getColumnNumber() + ")";
    }

    private static InvalidRequestException refused(String what, String setting, String where) {
        return new InvalidRequestException(
                "Request body refused before parsing: " + what + where + " (limit hub.fhir.limits." + setting + ")");
    }
}
